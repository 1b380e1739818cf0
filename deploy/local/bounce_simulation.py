# SPDX-License-Identifier: EUPL-1.2
"""Simulated bounces of the development mail catcher.

An RFC 3464 delivery status notification for an accepted message, sent over SMTP to the
message's envelope sender through the bounce relay (``make run``: the notifications
service's bounce receiver).

Uses the notifications service's own builder (``loket_notifications.delivery.dsn.build_dsn``)
when it is installed; without it, :func:`build_dsn` here makes the same standard shape with
the ``email`` package.
"""
from __future__ import annotations

import importlib
import smtplib
import time
from email import policy
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.parser import BytesHeaderParser
from email.utils import formatdate, make_msgid

REPORTING_MTA = "mail-catcher.loket.invalid"


def build_dsn(original: bytes, envelope_sender: str, recipient: str,
              status: str = "5.1.1", diagnostic: str = "550 5.1.1 mailbox unknown") -> bytes:
    """A ``multipart/report; report-type=delivery-status`` saying ``recipient`` failed.

    Its parts: a human-readable note, the ``message/delivery-status`` fields (per message:
    Reporting-MTA, Arrival-Date; per recipient: Final-Recipient, Original-Recipient, Action
    ``failed``, Status, Diagnostic-Code) and the original's headers as
    ``text/rfc822-headers`` (with its Message-ID, by which the receiver finds it).
    """
    headers = original.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    original_headers = BytesHeaderParser(policy=policy.compat32).parsebytes(headers)
    report = MIMEMultipart("report", report_type="delivery-status")
    report["From"] = f"Mail Delivery System <MAILER-DAEMON@{REPORTING_MTA}>"
    report["To"] = envelope_sender
    report["Subject"] = "Undelivered Mail Returned to Sender"
    report["Date"] = formatdate(localtime=False)
    report["Message-ID"] = make_msgid(domain=REPORTING_MTA)
    report["Auto-Submitted"] = "auto-replied"
    report.attach(MIMEText(
        f"This is the development mail catcher (a simulated bounce).\n\n"
        f"Your message could not be delivered to {recipient}: {diagnostic}.\n", "plain", "utf-8"))
    per_message = Message()
    per_message["Reporting-MTA"] = f"dns; {REPORTING_MTA}"
    per_message["Arrival-Date"] = formatdate(localtime=False)
    per_recipient = Message()
    per_recipient["Final-Recipient"] = f"rfc822; {recipient}"
    per_recipient["Original-Recipient"] = f"rfc822; {recipient}"
    per_recipient["Action"] = "failed"
    per_recipient["Status"] = status
    per_recipient["Diagnostic-Code"] = f"smtp; {diagnostic}"
    delivery_status = Message()
    delivery_status["Content-Type"] = "message/delivery-status"
    delivery_status.attach(per_message)
    delivery_status.attach(per_recipient)
    report.attach(delivery_status)
    report.attach(MIMEText(original_headers.as_string(), "rfc822-headers", "utf-8"))
    return report.as_bytes(policy=policy.SMTP)


def parse_relay(value: str) -> tuple[str, int]:
    """``host:port`` of the bounce relay."""
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"expected host:port, got {value!r}")
    return host, int(port)


def send_bounce(relay: tuple[str, int], dsn: bytes, envelope_sender: str,
                seconds: float = 60.0) -> str:
    """Send ``dsn`` with the null sender to ``envelope_sender``; retry until ``seconds`` pass.

    Returns ``sent`` or ``failed: <reason code>``; the relay (the bounce receiver) may start
    after the catcher or answer 4xx while the notifications service is down.
    """
    deadline = time.monotonic() + seconds
    reason = "not tried"
    while True:
        try:
            with smtplib.SMTP(*relay, timeout=10) as smtp:
                smtp.sendmail("", [envelope_sender], dsn)  # the null sender: never bounced again
            return "sent"
        except smtplib.SMTPResponseException as error:
            reason = f"smtp {error.smtp_code}"
            if error.smtp_code >= 500:
                return f"failed: {reason}"
        except smtplib.SMTPRecipientsRefused as error:
            codes = {code for code, _ in error.recipients.values()}
            reason = f"smtp {min(codes)}"
            if min(codes) >= 500:
                return f"failed: {reason}"
        except (OSError, smtplib.SMTPException) as error:
            reason = type(error).__name__
        if time.monotonic() >= deadline:
            return f"failed: {reason}"
        time.sleep(1.0)


def dsn_for(original: bytes, envelope_sender: str, recipient: str) -> bytes:
    """The DSN, built by the delivery package's builder when it has one, else by ours."""
    try:
        delivery = importlib.import_module("loket_notifications.delivery.dsn")
    except ImportError:
        return build_dsn(original, envelope_sender, recipient)
    dsn: bytes = delivery.build_dsn(original, recipient=recipient, to=envelope_sender,
                                    reporting_mta=REPORTING_MTA)
    return dsn
