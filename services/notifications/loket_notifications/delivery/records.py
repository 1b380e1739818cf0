# SPDX-License-Identifier: EUPL-1.2
"""What a channel sends and what it answers (re-exported by :mod:`.channels`).

And the Message-ID that ties a relay's later report back to Loket's message and tenant.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

ACCEPTED = "accepted"
TEMPORARY = "temporary_failure"
PERMANENT = "permanent_failure"
OUTCOMES = (ACCEPTED, TEMPORARY, PERMANENT)

MESSAGE_ID_DOMAIN = "loket.invalid"
_PART = r"[A-Za-z0-9_-]{1,100}"
# the id has no dots, so the first dot ends it
_MESSAGE_ID = re.compile(rf"<?\s*({_PART})\.({_PART})@{re.escape(MESSAGE_ID_DOMAIN)}\s*>?",
                         re.IGNORECASE)
_QUOTED_MESSAGE_ID = re.compile(rf"<({_PART})\.({_PART})@{re.escape(MESSAGE_ID_DOMAIN)}>",
                                re.IGNORECASE)


@dataclass(frozen=True)
class Attachment:
    """A file sent with the message (e.g. the booking's ``.ics``)."""

    filename: str
    content_type: str  # e.g. "text/calendar; method=PUBLISH; charset=utf-8"
    data: bytes


@dataclass(frozen=True)
class Outgoing:
    """One message to one recipient, rendered, ready for a channel."""

    message_id: str  # Loket's message id (uuid4)
    tenant: str
    channel: str  # "email" | "sms"
    recipient: str  # email address or E.164 phone number
    sender: str  # From address
    sender_name: str  # From display name
    bounce_address: str  # envelope MAIL FROM (the tenant's bounce address)
    subject: str
    text: str
    html: str | None
    language: str
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class RelayAttempt:
    """One relay's (or SMS provider's) answer to one send."""

    relay: str
    outcome: str  # one of OUTCOMES
    detail: str  # a code only: "250", "smtp 421", "5.1.1", "timeout", "refused", "rate_limited"


@dataclass(frozen=True)
class SendResult:
    """What came of sending one message, over every relay tried in order."""

    outcome: str  # one of OUTCOMES
    relay: str | None  # the relay that accepted it, or the last one tried
    detail: str  # a code only, never a server's text
    attempts: tuple[RelayAttempt, ...]


def message_id_header(message_id: str, tenant: str) -> str:
    """The Message-ID of Loket's ``message_id`` of ``tenant``: ``<id.tenant@loket.invalid>``.

    Bounces quote it, so :func:`parse_message_id_header` finds the message and its tenant.
    """
    for name, value in (("message id", message_id), ("tenant", tenant)):
        if not re.fullmatch(_PART, value):
            raise ValueError(f"a {name} of letters, digits, - and _ (at most 100)")
    return f"<{message_id}.{tenant}@{MESSAGE_ID_DOMAIN}>"


def parse_message_id_header(value: str | None) -> tuple[str, str] | None:
    """``(message_id, tenant)`` from a Message-ID Loket made; None for any other."""
    if not value:
        return None
    match = _MESSAGE_ID.fullmatch(value.strip())
    return (match.group(1), match.group(2)) if match else None


def find_message_id(text: str) -> tuple[str, str] | None:
    """The first Loket Message-ID anywhere in ``text`` (a bounce that quotes it loosely)."""
    match = _QUOTED_MESSAGE_ID.search(text)
    return (match.group(1), match.group(2)) if match else None
