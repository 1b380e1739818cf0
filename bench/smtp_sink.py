# SPDX-License-Identifier: EUPL-1.2
"""The benchmark's SMTP relay: an aiosmtpd server in this process that notes when it accepts.

Loket's notifications service sends to it as to any relay. It keeps, per recipient, the
``time.monotonic()`` at which it answered 250 to the message's data (the moment a relay has
accepted it), and the last message's bytes, which the raw baseline sends again.
"""
from __future__ import annotations

import smtplib
import threading
import time
from typing import Any

from aiosmtpd.controller import Controller


class _Recorder:
    """aiosmtpd handler: accept everything, note the time per recipient."""

    def __init__(self) -> None:
        self.accepted: dict[str, float] = {}
        self.count = 0
        self.last_message = b""
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        now = time.monotonic()
        with self.changed:
            for recipient in envelope.rcpt_tos:
                self.accepted.setdefault(recipient.lower(), now)
            self.count += 1
            self.last_message = envelope.original_content or envelope.content
            self.changed.notify_all()
        return "250 OK"


class SmtpSink:
    """A started SMTP server on ``127.0.0.1:port`` (``stop()`` when done)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.recorder = _Recorder()
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=port)
        self.controller.start()

    @property
    def relay(self) -> str:
        """The demo tenants' relay ``local``, as ``NOTIFICATIONS_SMTP_RELAYS`` names it."""
        return f"local=smtp://127.0.0.1:{self.port}?security=none&rate=100000"

    def accepted_at(self, recipient: str) -> float | None:
        """When the message to ``recipient`` was accepted (None: not yet)."""
        with self.recorder.lock:
            return self.recorder.accepted.get(recipient.lower())

    def wait_for(self, recipients: list[str], seconds: float) -> dict[str, float]:
        """Acceptance times of ``recipients``, waiting up to ``seconds`` for all of them."""
        deadline = time.monotonic() + seconds
        wanted = [item.lower() for item in recipients]
        with self.recorder.changed:
            while True:
                found = {item: self.recorder.accepted[item] for item in wanted
                         if item in self.recorder.accepted}
                left = deadline - time.monotonic()
                if len(found) == len(wanted) or left <= 0:
                    return found
                self.recorder.changed.wait(min(left, 1.0))

    def wait_for_more_than(self, count: int, seconds: float) -> int:
        """Wait until more than ``count`` messages were accepted (up to ``seconds``)."""
        deadline = time.monotonic() + seconds
        with self.recorder.changed:
            while self.recorder.count <= count and time.monotonic() < deadline:
                self.recorder.changed.wait(min(1.0, max(0.0, deadline - time.monotonic())))
            return self.recorder.count

    def count(self) -> int:
        """Messages accepted so far."""
        with self.recorder.lock:
            return self.recorder.count

    def last_message(self) -> bytes:
        """The bytes of the last message accepted."""
        with self.recorder.lock:
            return self.recorder.last_message

    def stop(self) -> None:
        """Stop the server."""
        self.controller.stop()


def raw_send_rate(sink: SmtpSink, message: bytes, senders: int, seconds: float) -> float:
    """Messages/s the sink accepts from ``senders`` threads, each on one open connection.

    The baseline: the same server, the same message (a real Loket email), sent with
    smtplib as fast as it takes them, with none of Loket's work around it.
    """
    stop_at = time.monotonic() + seconds
    sent = [0] * senders

    def sender(index: int) -> None:
        with smtplib.SMTP("127.0.0.1", sink.port, timeout=10) as connection:
            while time.monotonic() < stop_at:
                connection.sendmail("bench@loket.invalid",
                                    [f"raw-{index}-{sent[index]}@bench.invalid"], message)
                sent[index] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=sender, args=(index,)) for index in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(sent) / (time.monotonic() - started)
