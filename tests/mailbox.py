# SPDX-License-Identifier: EUPL-1.2
"""The development mail catcher as end-to-end tests read it: wait for mail, parse it.

``Mailbox(system.mailbox_url)`` (the ``mailbox`` fixture in ``conftest.py``)::

    mail = mailbox.wait_for_one("anna@example.org", subject_contains="Termin")
    mail.link("/appointments/bookings/")     # the manage link in the message
    mail.attachment(".ics")                  # the calendar file's bytes
    mail.email["Content-Language"]           # an email.message.EmailMessage

Every wait polls the catcher's JSON API until a deadline and then fails saying what
it saw; nothing sleeps a fixed time.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

import requests

DEFAULT_SECONDS = 30.0


@dataclass
class ReceivedMail:
    """One message the catcher kept, parsed again from its raw source with ``email``."""

    id: str
    summary: dict[str, Any]
    email: EmailMessage = field(repr=False)

    @property
    def subject(self) -> str:
        return str(self.email.get("Subject", ""))

    @property
    def recipients(self) -> list[str]:
        """The envelope recipients (RCPT TO)."""
        return list(self.summary["rcpt_to"])

    @property
    def mail_from(self) -> str:
        """The envelope sender (MAIL FROM): the tenant's bounce address."""
        return str(self.summary["mail_from"])

    @property
    def text(self) -> str:
        """The plain-text part ('' if there is none)."""
        part = self.email.get_body(preferencelist=("plain",))
        return part.get_content() if isinstance(part, EmailMessage) else ""

    @property
    def html(self) -> str:
        """The HTML part ('' if there is none)."""
        part = self.email.get_body(preferencelist=("html",))
        return part.get_content() if isinstance(part, EmailMessage) else ""

    @property
    def links(self) -> list[str]:
        """The http(s) links in the text and HTML parts, as the catcher found them."""
        return list(self.summary.get("links", []))

    def link(self, containing: str) -> str:
        """The first link containing ``containing``; fails listing the links there are."""
        for url in self.links:
            if containing in url:
                return url
        raise AssertionError(f"no link containing {containing!r} in {self.links}")

    def attachments(self) -> list[tuple[str, str, bytes]]:
        """(file name, content type, bytes) of each attachment."""
        found = []
        for part in self.email.iter_attachments():
            payload = part.get_payload(decode=True)
            found.append((part.get_filename() or "", part.get_content_type(),
                          payload if isinstance(payload, bytes) else b""))
        return found

    def attachment(self, ending: str = "", content_type: str = "") -> bytes:
        """The one attachment whose name ends with ``ending`` (and of ``content_type``)."""
        matching = [data for name, kind, data in self.attachments()
                    if name.endswith(ending) and (not content_type or kind == content_type)]
        assert len(matching) == 1, (
            f"expected one attachment {ending or content_type!r}, got "
            f"{[(name, kind) for name, kind, _ in self.attachments()]}")
        return matching[0]


class Mailbox:
    """Client of the development mailbox's JSON API (``deploy/local/mailbox_web.py``)."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")

    def summaries(self, to: str | None = None) -> list[dict[str, Any]]:
        """What the catcher kept (to ``to``), newest first, without bodies."""
        response = requests.get(f"{self.url}/api/messages", params={"to": to} if to else {},
                                timeout=10)
        response.raise_for_status()
        return list(response.json()["messages"])

    def read(self, message_id: str) -> ReceivedMail:
        """One message, parsed from its raw source."""
        response = requests.get(f"{self.url}/api/messages/{message_id}", timeout=10)
        response.raise_for_status()
        details = response.json()
        raw = details["raw"].encode("utf-8", errors="surrogateescape")
        parsed = BytesParser(policy=policy.default).parsebytes(raw)
        assert isinstance(parsed, EmailMessage)
        return ReceivedMail(details["id"], details, parsed)

    def messages(self, to: str | None = None) -> list[ReceivedMail]:
        """Every message (to ``to``), oldest first."""
        return [self.read(item["id"]) for item in reversed(self.summaries(to))]

    def wait_for(self, to: str, count: int = 1, subject_contains: str = "",
                 where: Callable[[ReceivedMail], bool] | None = None,
                 seconds: float = DEFAULT_SECONDS) -> list[ReceivedMail]:
        """Wait until at least ``count`` messages to ``to`` match; return them, oldest first.

        ``subject_contains`` and ``where`` narrow which messages count.
        """
        deadline = time.monotonic() + seconds
        seen: dict[str, ReceivedMail] = {}
        while True:
            for item in self.summaries(to):
                if item["id"] not in seen:
                    seen[item["id"]] = self.read(item["id"])
            matching = [mail for mail in sorted(seen.values(), key=lambda mail: mail.id)
                        if subject_contains in mail.subject and (where is None or where(mail))]
            if len(matching) >= count:
                return matching
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"{len(matching)} of {count} messages to {to} (subject containing "
                    f"{subject_contains!r}) in {seconds:.0f} s; it has: "
                    f"{[mail.subject for mail in seen.values()]}")
            time.sleep(0.2)

    def wait_for_one(self, to: str, subject_contains: str = "",
                     where: Callable[[ReceivedMail], bool] | None = None,
                     seconds: float = DEFAULT_SECONDS) -> ReceivedMail:
        """The first message to ``to`` that matches, once it has arrived."""
        return self.wait_for(to, 1, subject_contains, where, seconds)[0]

    def sms(self, to: str | None = None) -> list[dict[str, Any]]:
        """Fake SMS received (to ``to``), newest first: {id, received_at, to, text, reference}."""
        response = requests.get(f"{self.url}/api/sms", params={"to": to} if to else {},
                                timeout=10)
        response.raise_for_status()
        return list(response.json()["sms"])

    def wait_for_sms(self, to: str, count: int = 1,
                     seconds: float = DEFAULT_SECONDS) -> list[dict[str, Any]]:
        """Wait until ``count`` SMS to ``to`` arrived; return them, oldest first."""
        deadline = time.monotonic() + seconds
        while True:
            found = list(reversed(self.sms(to)))
            if len(found) >= count:
                return found
            if time.monotonic() >= deadline:
                raise AssertionError(f"{len(found)} of {count} SMS to {to} in {seconds:.0f} s")
            time.sleep(0.2)

    def clear(self) -> None:
        """Forget every message and SMS (tests usually use fresh addresses instead)."""
        requests.delete(f"{self.url}/api/messages", timeout=10).raise_for_status()
