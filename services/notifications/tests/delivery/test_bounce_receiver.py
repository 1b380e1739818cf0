# SPDX-License-Identifier: EUPL-1.2
"""``loket-notifications-bounces`` as a process: a DSN over SMTP becomes an RPC to a real
Nameko service named ``notifications`` on the test's vhost."""
import json
import os
import signal
import smtplib
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from loket_common.errors import NotFound
from loket_common.sealed_rpc import rpc
from loket_common.testing import wait_for
from loket_notifications.delivery.dsn import build_dsn
from loket_notifications.delivery.email_message import build_email

from .conftest import outgoing
from .servers import free_port

RECORDED: list[tuple[str, dict]] = []
UNKNOWN = "00000000-0000-4000-8000-000000000000"


class RecordingNotifications:
    """Stands in for the notifications service: records the reports it is given."""

    name = "notifications"

    @rpc
    def record_delivery_report(self, tenant, report):
        if report["message_id"] == UNKNOWN:
            raise NotFound("no such message")
        RECORDED.append((tenant, report))
        return {"id": report["message_id"], "state": "bounced"}


@pytest.fixture
def receiver(rabbit_config):
    """Start the bounce receiver process on a free port; yields ``(port, output_file)``."""
    started = []

    def start(**environment):
        port = free_port()
        log = Path(os.environ.get("TMPDIR", "/tmp")) / f"bounces-{uuid.uuid4().hex}.log"
        env = {**os.environ, "AMQP_URI": rabbit_config["AMQP_URI"],
               "NOTIFICATIONS_BOUNCE_BIND": f"127.0.0.1:{port}",
               "NOTIFICATIONS_BOUNCE_RPC_TIMEOUT": "2", **environment}
        output = log.open("wb")
        process = subprocess.Popen(  # noqa: S603  (our own console script)
            [str(Path(sys.executable).with_name("loket-notifications-bounces"))],
            env=env, stdout=output, stderr=subprocess.STDOUT)
        started.append((process, output, log))
        wait_for(lambda: _listening(port) or process.poll() is not None, timeout=20)
        assert process.poll() is None, log.read_text()
        return port, process, log

    yield start
    for process, output, log in started:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        output.close()
        log.unlink(missing_ok=True)


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
    except OSError:
        return False
    return True


def send_report(port: int, raw: bytes, to: str = "bounces@musterstadt.example") -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.sendmail("", [to], raw)


def a_bounce(message_id: str | None = None) -> tuple[bytes, str]:
    message = outgoing(**({"message_id": message_id} if message_id else {}))
    return build_dsn(build_email(message), recipient=message.recipient,
                     to=message.bounce_address), message.message_id


def log_lines(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines()
            if line.startswith("{")]


def test_a_bounce_over_smtp_is_recorded_by_the_notifications_service(
        receiver, container_factory, service_config):
    RECORDED.clear()
    container = container_factory(RecordingNotifications, service_config)
    container.start()
    port, process, log = receiver()

    raw, message_id = a_bounce()
    send_report(port, raw)
    assert RECORDED == [("musterstadt", {"message_id": message_id, "action": "failed",
                                         "status": "5.1.1", "recipient": "anna@example.org"})]

    # no report of ours, or a message the service does not know: accepted, not retried
    send_report(port, b"Subject: hello\r\n\r\nnot a report\r\n")
    send_report(port, a_bounce(UNKNOWN)[0])
    assert len(RECORDED) == 1

    process.send_signal(signal.SIGTERM)
    assert process.wait(15) == 0
    lines = log_lines(log)
    reasons = [line.get("reason") for line in lines if line["event"] == "bounce ignored"]
    assert reasons == ["not_a_report"]
    assert any(line["event"] == "delivery report refused" and line["error_type"] == "NotFound"
               for line in lines)
    assert "anna@example.org" not in log.read_text()  # no address in the logs


def test_while_the_service_does_not_answer_the_relay_is_told_to_retry(
        receiver, container_factory, service_config):
    RECORDED.clear()
    port, _process, _log = receiver()
    raw, message_id = a_bounce()
    started = time.monotonic()
    with pytest.raises(smtplib.SMTPDataError) as error:
        send_report(port, raw)
    assert error.value.smtp_code == 451
    assert time.monotonic() - started < 10

    container = container_factory(RecordingNotifications, service_config)
    container.start()
    send_report(port, raw)  # the relay's retry
    assert [report["message_id"] for _, report in RECORDED] == [message_id]


def test_only_the_configured_bounce_addresses_are_accepted(receiver):
    port, _process, _log = receiver(NOTIFICATIONS_BOUNCE_ADDRESSES="bounces@musterstadt.example")
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send_report(port, a_bounce()[0], to="someone@musterstadt.example")


def test_a_bad_bind_stops_it_with_one_line():
    result = subprocess.run(  # noqa: S603
        [str(Path(sys.executable).with_name("loket-notifications-bounces"))],
        env={**os.environ, "NOTIFICATIONS_BOUNCE_BIND": "everywhere"}, capture_output=True,
        timeout=60, check=False)
    assert result.returncode != 0
    assert result.stderr.decode().strip().splitlines()[-1].startswith(
        "NOTIFICATIONS_BOUNCE_BIND: expected host:port")
