"""The gateway's settings: environment, keyword overrides, and bad values stopping the start."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from loket_common.settings import SettingsError
from loket_gateway.core.settings import Settings

GATEWAY = Path(__file__).parents[1]


def test_the_environment_fills_the_settings_and_keywords_override_it(monkeypatch):
    monkeypatch.setenv("RPC_TIMEOUT_SECONDS", "2.5")
    monkeypatch.setenv("RATE_LIMIT_SEARCH", "5/second")
    monkeypatch.setenv("RATE_LIMIT_HOLD", "")  # empty counts as unset
    settings = Settings()
    assert (settings.rpc_timeout, settings.search_limit) == (2.5, "5/second")
    assert settings.hold_limit == "10/minute;30/hour"
    assert Settings(rpc_timeout=1, amqp_uri="amqp://x/").rpc_timeout == 1


@pytest.mark.parametrize("name, value, message", [
    ("RPC_TIMEOUT_SECONDS", "ten", "RPC_TIMEOUT_SECONDS: expected a number, got 'ten'"),
    ("RPC_POOL_SIZE", "0", "RPC_POOL_SIZE: expected a number >= 1, got '0'"),
    ("LOKET_ENVIRONMENT", "staging",
     "LOKET_ENVIRONMENT: expected one of 'production' or 'development', got 'staging'"),
    ("RATE_LIMIT_HOLD", "ten per minute",
     "RATE_LIMIT_HOLD: expected limits such as 10/minute;30/hour, got 'ten per minute'"),
])
def test_a_bad_value_names_the_variable_and_the_expected_form(monkeypatch, name, value,
                                                              message):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as stop:
        Settings()
    assert stop.value.code == message


def test_a_secret_is_never_repeated_in_the_message():
    with pytest.raises(SettingsError) as stop:
        Settings(secret=12345)
    assert "12345" not in stop.value.code and "LOKET_GATEWAY_SECRET" in stop.value.code


def gunicorn(**environment: str) -> subprocess.CompletedProcess:
    """Start the gateway as deployed (gunicorn, its config file) and wait for it to stop."""
    command = Path(sys.executable).with_name("gunicorn")
    env = {**os.environ, "GATEWAY_BIND": "127.0.0.1:0", "GATEWAY_WORKERS": "1",
           "LOKET_GATEWAY_SECRET": "s", "LOKET_PSEUDONYM_KEY": "p", **environment}
    return subprocess.run([str(command), "-c", "gunicorn.conf.py"], cwd=GATEWAY, env=env,
                          capture_output=True, text=True, timeout=60)


def test_gunicorn_with_a_bad_value_stops_naming_the_variable():
    done = gunicorn(RPC_TIMEOUT_SECONDS="ten")
    assert done.returncode != 0
    assert "RPC_TIMEOUT_SECONDS: expected a number, got 'ten'" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_worker_refusing_to_start_stops_gunicorn_instead_of_being_restarted():
    done = gunicorn(LOKET_GATEWAY_SECRET="")
    assert done.returncode == 3  # gunicorn: worker failed to boot
    assert done.stderr.count("LOKET_GATEWAY_SECRET is not set") == 1
