"""Settings from the environment: types, defaults, the Nameko config, and bad values refused."""
import subprocess
import sys
from pathlib import Path

import pytest

from loket_common.crypto import new_key
from loket_common.sealing import NOTIFICATIONS_PUBLIC_KEY_VARIABLE, new_keypair
from loket_common.service_cli import settings_class
from loket_common.settings import (
    DEFAULT_AMQP_URI,
    BrokerSettings,
    ServiceSettings,
    SettingsError,
)

KEYS = {"LOKET_DATA_KEYS": "*=" + new_key(), "LOKET_INDEX_KEY": "index-key",
        "LOKET_RPC_KEYS": new_key()}


@pytest.fixture
def environment(monkeypatch):
    """A clean environment with only the keys set; returns a setter."""
    for variable in ServiceSettings.variables():
        monkeypatch.delenv(variable.name, raising=False)
    for name, value in KEYS.items():
        monkeypatch.setenv(name, value)
    return monkeypatch.setenv


def test_defaults_make_the_nameko_config(environment):
    config = ServiceSettings().nameko_config()
    assert config["AMQP_URI"] == DEFAULT_AMQP_URI
    assert config["EVENT_RETRY_DELAYS_MS"] == [1000, 10000, 60000]
    assert config["OUTBOX_POLL_SECONDS"] == 0.5 and config["max_workers"] == 10
    assert config["LOGGING"]["root"] == {"level": "INFO", "handlers": ["console"]}
    assert (config["serializer"], config["ACCEPT"]) == ("loket-sealed", ["loket-sealed", "json"])


def test_environment_values_are_parsed_to_their_types(environment):
    environment("EVENT_RETRY_DELAYS_MS", "50, 100")
    environment("MAX_WORKERS", "3")
    environment("LOG_LEVEL", "DEBUG")
    environment("OUTBOX_POLL_SECONDS", "")  # empty counts as unset
    settings = ServiceSettings()
    assert settings.event_retry_delays_ms == (50, 100)
    assert (settings.max_workers, settings.log_level) == (3, "DEBUG")
    assert settings.outbox_poll_seconds == 0.5


def test_keyword_arguments_override_the_environment(environment):
    environment("AMQP_URI", "amqp://from-env/")
    assert BrokerSettings(amqp_uri="amqp://given/").amqp_uri == "amqp://given/"
    assert BrokerSettings().amqp_uri == "amqp://from-env/"


@pytest.mark.parametrize("name, value, message", [
    ("MAX_WORKERS", "ten", "MAX_WORKERS: expected a whole number, got 'ten'"),
    ("MAX_WORKERS", "0", "MAX_WORKERS: expected a number >= 1, got '0'"),
    ("OUTBOX_POLL_SECONDS", "soon", "OUTBOX_POLL_SECONDS: expected a number, got 'soon'"),
    ("EVENT_RETRY_DELAYS_MS", "1s,2s", "EVENT_RETRY_DELAYS_MS: expected milliseconds "
     "separated by commas, e.g. 1000,10000,60000, got '1s,2s'"),
    ("LOG_LEVEL", "loud", "LOG_LEVEL: expected one of 'DEBUG', 'INFO', 'WARNING', 'ERROR' or "
     "'CRITICAL', got 'loud'"),
])
def test_a_bad_value_names_the_variable_and_the_expected_form(environment, name, value,
                                                              message):
    environment(name, value)
    with pytest.raises(SettingsError) as stop:
        ServiceSettings()
    assert stop.value.code == message


def test_a_bad_or_missing_key_is_named_but_never_shown(environment, monkeypatch):
    environment("LOKET_DATA_KEYS", "not-a-key-list")
    monkeypatch.delenv("LOKET_INDEX_KEY")
    with pytest.raises(SettingsError) as stop:
        ServiceSettings()
    assert stop.value.code.splitlines() == [
        "LOKET_DATA_KEYS: expected tenant=KEY[,OLDER_KEY] separated by ';' "
        "(the value given is not shown)",
        "LOKET_INDEX_KEY: expected a key (any non-empty text), but it is not set"]
    assert "not-a-key-list" not in stop.value.code


def test_each_service_finds_its_settings_class_by_convention():
    assert settings_class("loket_appointments.service").__module__ == "loket_appointments.settings"
    assert settings_class("x.y", "loket_common.settings:ServiceSettings") is ServiceSettings
    with pytest.raises(SystemExit, match="--settings"):
        settings_class("no_such_package.service")


def test_a_service_with_a_bad_value_does_not_start(environment):
    """The real start command: exit code 1, one line naming the variable, no traceback."""
    command = Path(sys.executable).with_name("loket-service")
    done = subprocess.run([str(command), "run", "loket_appointments.service"],
                          capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", **KEYS, "HOLD_SECONDS": "five minutes",
                               NOTIFICATIONS_PUBLIC_KEY_VARIABLE: new_keypair()[0]})
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        "HOLD_SECONDS: expected a whole number, got 'five minutes'")
    assert "Traceback" not in done.stderr
