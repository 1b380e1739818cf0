# SPDX-License-Identifier: EUPL-1.2
"""Delivery status notifications (RFC 3464): read a relay's report, or make one.

A report is ``multipart/report; report-type=delivery-status`` with a human part, a
``message/delivery-status`` part (a per-message block, then one block per recipient:
``Action``, ``Status``, ``Final-Recipient``, ``Original-Recipient``) and the original
message or its headers (``message/rfc822``, ``text/rfc822-headers``), whose Message-ID
names Loket's message and tenant (:func:`.records.message_id_header`). Parsed with the
standard ``email`` package; a report that is not ours, or not a report, raises
:class:`NotAReport` with a code (never its content).
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from email import message_from_bytes
from email.message import EmailMessage, Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.parser import HeaderParser
from email.policy import SMTP
from email.utils import formatdate, make_msgid
from typing import Any

from .records import find_message_id, parse_message_id_header

ACTIONS = ("failed", "delayed", "delivered", "relayed", "expanded")
STATUS = re.compile(r"^\s*([245]\.\d{1,3}\.\d{1,3})")
DEFAULT_STATUS = {"failed": "5.0.0", "delayed": "4.0.0"}  # others: 2.0.0
MAX_RECIPIENT = 254


class NotAReport(ValueError):
    """A message the bounce receiver cannot use; ``code`` says why (it is what is logged)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class DeliveryReport:
    """One recipient's fate of one Loket message, as a relay reported it."""

    message_id: str
    tenant: str
    action: str  # one of ACTIONS
    status: str  # "5.1.1"
    recipient: str | None

    def as_rpc(self) -> dict[str, Any]:
        """The ``DeliveryReportSchema`` dict ``record_delivery_report`` takes."""
        fields = asdict(self)
        del fields["tenant"]
        return fields


def parse_dsn(raw: bytes) -> list[DeliveryReport]:
    """Every recipient's report in the DSN ``raw``; :class:`NotAReport` if there is none."""
    message = message_from_bytes(raw)
    status_parts = [part for part in message.walk()
                    if part.get_content_type() == "message/delivery-status"]
    if not status_parts:
        raise NotAReport("not_a_report")
    ours = _original_message_id(message)
    if ours is None:
        raise NotAReport("unknown_message_id")
    message_id, tenant = ours
    reports = []
    for part in status_parts:
        for block in _recipient_blocks(part):
            report = _report(block, message_id, tenant)
            if report is not None:
                reports.append(report)
    if not reports:
        raise NotAReport("no_recipient_status")
    return reports


def _recipient_blocks(part: Message) -> list[Message]:
    """The per-recipient field blocks (the first block is about the message)."""
    payload = part.get_payload()
    if isinstance(payload, list):
        blocks = [block for block in payload if isinstance(block, Message)]
    else:  # some relays base64-encode it: the parser leaves it as text
        blocks = [HeaderParser().parsestr(chunk + "\n") for chunk in
                  re.split(r"\r?\n\s*\r?\n", _decoded_text(part)) if chunk.strip()]
    return [block for block in blocks if block.get("Action") is not None]


def _report(block: Message, message_id: str, tenant: str) -> DeliveryReport | None:
    action = _strip_comment(str(block.get("Action", ""))).lower()
    if action not in ACTIONS:
        return None
    match = STATUS.match(str(block.get("Status", "")))
    status = match.group(1) if match else DEFAULT_STATUS.get(action, "2.0.0")
    recipient = _address(block.get("Final-Recipient")) or _address(
        block.get("Original-Recipient"))
    return DeliveryReport(message_id, tenant, action, status, recipient)


def _original_message_id(message: Message) -> tuple[str, str] | None:
    """Loket's (message id, tenant) from the returned original, else quoted anywhere."""
    for part in message.walk():
        kind = part.get_content_type()
        headers: Message | None = None
        if kind == "message/rfc822":
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                headers = inner[0]
        elif kind in ("text/rfc822-headers", "message/rfc822-headers"):
            headers = HeaderParser().parsestr(_decoded_text(part))
        if headers is not None:
            found = parse_message_id_header(str(headers.get("Message-ID", "")))
            if found:
                return found
    # A report that quotes the original loosely (in its human part, say)
    return find_message_id(message.as_string())


def _decoded_text(part: Message) -> str:
    """A leaf part's text, its transfer encoding undone."""
    raw = part.get_payload(decode=True)
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else ""


def _strip_comment(value: str) -> str:
    return re.sub(r"\(.*?\)", "", value).strip()


def _address(value: Any) -> str | None:
    """``rfc822; anna@example.org`` -> ``anna@example.org`` (other address types: None)."""
    if not value:
        return None
    kind, _, address = _strip_comment(str(value)).partition(";")
    address = address.strip().strip("<>")
    if kind.strip().lower() != "rfc822" or not address or len(address) > MAX_RECIPIENT:
        return None
    return address


def build_dsn(original: EmailMessage | Message | bytes, *, recipient: str, to: str,
              action: str = "failed", status: str = "5.1.1",
              reporting_mta: str = "mail.loket.invalid",
              diagnostic: str | None = "smtp; 550 5.1.1 user unknown",
              whole_message: bool = False) -> bytes:
    """A DSN about ``original`` for ``recipient``, addressed to ``to`` (the bounce address).

    It returns the original's headers (``text/rfc822-headers``), or with
    ``whole_message`` the original itself (``message/rfc822``).
    """
    if action not in ACTIONS or not STATUS.match(status):
        raise ValueError("an RFC 3464 action and a status like 5.1.1")
    source = message_from_bytes(original) if isinstance(original, bytes) else original
    report = MIMEMultipart("report", report_type="delivery-status")
    report["From"] = f"Mail Delivery System <MAILER-DAEMON@{reporting_mta}>"
    report["To"] = to
    report["Subject"] = ("Undelivered Mail Returned to Sender" if action == "failed"
                         else f"Delivery Status Notification ({action})")
    report["Date"] = formatdate(usegmt=True)
    report["Message-ID"] = make_msgid(domain=reporting_mta)
    report["Auto-Submitted"] = "auto-replied"
    report.attach(MIMEText(f"This is the mail system at host {reporting_mta}.\n\n"
                           f"Your message could not be delivered ({action}, {status}).\n"))
    per_message = Message()
    per_message["Reporting-MTA"] = f"dns; {reporting_mta}"
    per_message["Arrival-Date"] = formatdate(usegmt=True)
    per_recipient = Message()
    per_recipient["Final-Recipient"] = f"rfc822; {recipient}"
    per_recipient["Original-Recipient"] = f"rfc822; {recipient}"
    per_recipient["Action"] = action
    per_recipient["Status"] = status
    if diagnostic:
        per_recipient["Diagnostic-Code"] = diagnostic
    delivery_status = MIMEBase("message", "delivery-status")
    delivery_status.set_payload([per_message, per_recipient])
    report.attach(delivery_status)
    if whole_message:
        returned = MIMEBase("message", "rfc822")
        returned.set_payload([source])
    else:
        # the headers as they were sent (encoded words, so plain ASCII)
        header_text = source.as_bytes(policy=SMTP).split(b"\r\n\r\n", 1)[0]
        returned = MIMEText(header_text.decode("ascii", "replace") + "\n", "rfc822-headers")
    report.attach(returned)
    return report.as_bytes(policy=SMTP)
