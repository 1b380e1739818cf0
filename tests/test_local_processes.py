"""The dev runner: children restart when they die, stop escalates to SIGKILL; its wiring of
the notifications processes and the mail catcher."""
import json
import smtplib
import sys
import time

import pytest

from deploy.local.processes import ProcessGroup
from deploy.local.run import SUPERVISED
from deploy.local.system import SERVICES

IGNORES_SIGINT = ("import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); "
                  "print('ready', flush=True); time.sleep(60)")


def wait_until(condition, seconds=5.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def test_a_dead_child_is_restarted_in_place(tmp_path):
    group = ProcessGroup(tmp_path)
    first = group.start("worker", [sys.executable, "-c", "import time; time.sleep(60)"])
    group.start("other", [sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        first.kill()
        first.wait()
        assert group.restart_dead(["worker"]) == ["worker"]
        assert [name for name, _ in group.children] == ["worker", "other"]
        assert group.children[0][1].pid != first.pid
        assert group.dead() == []
    finally:
        group.stop(timeout=2)
    assert group.children == []


def test_stop_kills_a_child_that_ignores_sigint(tmp_path):
    group = ProcessGroup(tmp_path)
    stubborn = group.start("stubborn", [sys.executable, "-c", IGNORES_SIGINT])
    wait_until(lambda: b"ready" in (tmp_path / "stubborn.log").read_bytes())
    started = time.monotonic()
    group.stop(timeout=0.5)
    assert stubborn.returncode == -9
    assert time.monotonic() - started < 5


def test_only_the_notifications_service_gets_its_private_key(tmp_path):
    from deploy.local.system import System

    system = System(var_dir=tmp_path, mail_smtp_port=2025, mail_http_port=9025,
                    bounce_port=2626)
    private = "LOKET_NOTIFICATIONS_PRIVATE_KEY"
    assert private not in system.env() and private not in system.bounces_env()
    notifications = system.notifications_env()
    assert notifications[private] == json.loads(
        (tmp_path / "local-keys.json").read_text())[private]
    assert notifications["NOTIFICATIONS_SMTP_RELAYS"] == (
        "local=smtp://127.0.0.1:2025?security=none")
    assert notifications["NOTIFICATIONS_SMS_URL"] == "http://127.0.0.1:9025/sms"
    assert system.bounces_env()["NOTIFICATIONS_BOUNCE_BIND"] == "127.0.0.1:2626"
    assert "notifications" in SERVICES and "notifications-bounces" in SUPERVISED
    assert "mail-catcher" in SUPERVISED


def test_the_operators_environment_file_gives_the_commands_this_runs_settings(tmp_path):
    import os
    import stat
    import subprocess

    from deploy.local.run import write_operator_env
    from deploy.local.system import System

    system = System(var_dir=tmp_path, mail_smtp_port=2025, mail_http_port=9025,
                    bounce_port=2626)
    system.mongo_uri = "mongodb://127.0.0.1:27017/?retryWrites=false"
    path = write_operator_env(system)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # this run's RPC key is in it
    sourced = subprocess.run(["bash", "-c", f". {path} && env -0"], env={}, check=True,
                             capture_output=True, text=True).stdout
    found = dict(item.split("=", 1) for item in sourced.split("\0") if "=" in item)
    for name in ("AMQP_URI", "MONGO_URI", "LOKET_RPC_KEYS", "LOKET_DATA_KEYS"):
        assert found[name] == system.env()[name], name
    assert "LOKET_NOTIFICATIONS_PRIVATE_KEY" not in found
    assert "statistics" in SERVICES and os.access(path, os.R_OK)


def test_the_system_stops_and_starts_its_mail_catcher_keeping_the_mail(tmp_path):
    from deploy.local.system import System

    from .mailbox import Mailbox

    system = System(var_dir=tmp_path)  # free ports by default
    mailbox = Mailbox(system.mailbox_url)
    try:
        system.start_mail_catcher()
        with smtplib.SMTP("127.0.0.1", system.mail_smtp_port, timeout=10) as smtp:
            refused = smtp.sendmail("bounces@musterstadt.example",
                                    ["anna@example.org", "refused+1@example.org"],
                                    b"Subject: before\r\n\r\nkept\r\n")
        assert refused["refused+1@example.org"][0] == 550  # make run's refused addresses
        system.stop_mail_catcher()
        assert system.group.dead() == []  # stopped on purpose: not "exited"
        with pytest.raises(OSError):
            smtplib.SMTP("127.0.0.1", system.mail_smtp_port, timeout=2)
        system.start_mail_catcher()
        system.start_mail_catcher()  # running already: nothing happens
        assert [name for name, _ in system.group.children] == ["mail-catcher"]
        assert [mail.subject for mail in mailbox.wait_for("anna@example.org")] == ["before"]
    finally:
        system.stop()
