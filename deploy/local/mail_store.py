# SPDX-License-Identifier: EUPL-1.2
"""The development mail catcher's store of messages and fake SMS.

One ``.eml`` file per received message, one JSON file per fake SMS, both written
atomically (Maildir-like: ``tmp/``, then a rename).

A message file starts with the catcher's own ``X-Catcher-*`` envelope lines (MAIL FROM,
RCPT TO, time received), then the message exactly as it arrived.
"""
from __future__ import annotations

import base64
import json
import os
import re
import time
import uuid
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from pathlib import Path
from typing import Any

ENVELOPE_PREFIX = b"X-Catcher-"
ID_PATTERN = re.compile(r"^[0-9]{20}-[0-9a-f]{12}$")
LINK_PATTERN = re.compile(r"https?://[^\s<>\"')\]]+")


def new_id() -> str:
    """A sortable id: the time in nanoseconds, then a random part."""
    return f"{time.time_ns():020d}-{uuid.uuid4().hex[:12]}"


def write_atomically(directory: Path, name: str, data: bytes) -> Path:
    """Write ``data`` to ``directory/name`` through ``tmp/`` (fsync, rename): all or nothing."""
    temporary = directory.parent / "tmp" / f"{name}.{os.getpid()}"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        target = directory / name
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target


class MailStore:
    """What the catcher received, as files under ``root``.

    Messages in ``new/``, SMS in ``sms/``, simulated bounces in ``bounces/``
    (``<message id>.json``: sent or failed).
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        for name in ("tmp", "new", "sms", "bounces"):
            (root / name).mkdir(parents=True, exist_ok=True)

    # -- writing -------------------------------------------------------------------------

    def save_message(self, raw: bytes, mail_from: str, rcpt_tos: list[str]) -> str:
        """Keep one received message; return its id once it is on disk."""
        message_id = new_id()
        envelope = (f"X-Catcher-Mail-From: <{mail_from}>\r\n"
                    f"X-Catcher-Rcpt-To: {', '.join(rcpt_tos)}\r\n"
                    f"X-Catcher-Received: {datetime.now(UTC).isoformat()}\r\n").encode()
        write_atomically(self.root / "new", f"{message_id}.eml", envelope + raw)
        return message_id

    def save_sms(self, to: str, text: str, reference: str) -> dict[str, Any]:
        """Keep one fake SMS; return it with its id and time."""
        sms = {"id": new_id(), "received_at": datetime.now(UTC).isoformat(), "to": to,
               "text": text, "reference": reference}
        write_atomically(self.root / "sms", f"{sms['id']}.json", json.dumps(sms).encode())
        return sms

    def record_bounce(self, message_id: str, state: str, detail: str) -> None:
        """Note what became of the simulated bounce of a message (``sent`` or ``failed``)."""
        record = {"state": state, "detail": detail, "at": datetime.now(UTC).isoformat()}
        write_atomically(self.root / "bounces", f"{message_id}.json",
                         json.dumps(record).encode())

    def clear(self) -> None:
        """Forget every message, SMS and bounce record."""
        for name in ("new", "sms", "bounces"):
            for path in (self.root / name).iterdir():
                path.unlink(missing_ok=True)

    # -- reading -------------------------------------------------------------------------

    def message_ids(self) -> list[str]:
        """Every message id, newest first."""
        return sorted((path.stem for path in (self.root / "new").glob("*.eml")), reverse=True)

    def read(self, message_id: str) -> StoredMessage | None:
        """The stored message ``message_id``, or None."""
        if not ID_PATTERN.match(message_id):
            return None
        path = self.root / "new" / f"{message_id}.eml"
        if not path.exists():
            return None
        bounce_path = self.root / "bounces" / f"{message_id}.json"
        bounce = json.loads(bounce_path.read_text()) if bounce_path.exists() else None
        return StoredMessage(message_id, path.read_bytes(), bounce)

    def messages(self, to: str | None = None) -> list[StoredMessage]:
        """Stored messages, newest first; with ``to`` only those to that address."""
        found = [self.read(message_id) for message_id in self.message_ids()]
        return [message for message in found
                if message is not None and (to is None or message.is_to(to))]

    def sms(self, to: str | None = None) -> list[dict[str, Any]]:
        """Fake SMS received, newest first; with ``to`` only those to that number."""
        paths = sorted((self.root / "sms").glob("*.json"), reverse=True)
        items = [json.loads(path.read_text()) for path in paths]
        return [item for item in items if to is None or item["to"] == to]


class StoredMessage:
    """One received message, parsed with the standard ``email`` package."""

    def __init__(self, message_id: str, data: bytes, bounce: dict[str, Any] | None) -> None:
        self.id = message_id
        self.bounce = bounce
        envelope: dict[str, str] = {}
        rest = data
        while rest.startswith(ENVELOPE_PREFIX):
            line, _, rest = rest.partition(b"\r\n")
            name, _, value = line.decode().partition(":")
            envelope[name[len(ENVELOPE_PREFIX):].lower()] = value.strip()
        self.raw = rest
        self.mail_from = envelope.get("mail-from", "<>").strip("<>")
        self.rcpt_to = [item.strip() for item in envelope.get("rcpt-to", "").split(",")
                        if item.strip()]
        self.received_at = envelope.get("received", "")
        parsed = BytesParser(policy=policy.default).parsebytes(rest)
        assert isinstance(parsed, EmailMessage)  # policy.default makes EmailMessage
        self.email = parsed

    def is_to(self, address: str) -> bool:
        """True when ``address`` is an envelope recipient or in To or Cc."""
        wanted = address.strip().lower()
        named = [str(self.email.get(header, "")) for header in ("To", "Cc")]
        return (any(item.lower() == wanted for item in self.rcpt_to)
                or any(wanted in value.lower() for value in named))

    def _bodies(self) -> tuple[Message | None, Message | None]:
        return (self.email.get_body(preferencelist=("plain",)),
                self.email.get_body(preferencelist=("html",)))

    def text(self) -> str | None:
        """The plain-text part."""
        part = self._bodies()[0]
        return part.get_content() if isinstance(part, EmailMessage) else None

    def html(self) -> str | None:
        """The HTML part."""
        part = self._bodies()[1]
        return part.get_content() if isinstance(part, EmailMessage) else None

    def attachments(self) -> list[tuple[str, str, bytes]]:
        """(file name, content type, bytes) of every part that is not the text or HTML body."""
        bodies = [id(part) for part in self._bodies() if part is not None]
        found: list[tuple[str, str, bytes]] = []
        for part in self.email.walk():
            if part.is_multipart() or id(part) in bodies:
                continue
            payload = part.get_payload(decode=True)
            data = payload if isinstance(payload, bytes) else b""
            name = part.get_filename() or f"part-{len(found) + 1}"
            found.append((name, part.get_content_type(), data))
        return found

    def links(self) -> list[str]:
        """Every http(s) URL in the text and HTML parts, first appearance first."""
        seen: dict[str, None] = {}
        for body in (self.text() or "", self.html() or ""):
            for url in LINK_PATTERN.findall(body.replace("&amp;", "&")):
                seen.setdefault(url.rstrip(".,;"), None)
        return list(seen)

    def summary(self) -> dict[str, Any]:
        """What the list shows: envelope, headers, attachments without their data."""
        return {"id": self.id, "received_at": self.received_at, "mail_from": self.mail_from,
                "rcpt_to": self.rcpt_to, "from": str(self.email.get("From", "")),
                "to": str(self.email.get("To", "")),
                "subject": str(self.email.get("Subject", "")),
                "message_id": str(self.email.get("Message-ID", "")),
                "attachments": [{"index": index, "filename": name, "content_type": kind,
                                 "size": len(data)}
                                for index, (name, kind, data) in enumerate(self.attachments())],
                "bounce": self.bounce}

    def details(self) -> dict[str, Any]:
        """Everything: the summary, text, HTML, headers, attachments (base64), links, raw."""
        summary = self.summary()
        for item, (_, _, data) in zip(summary["attachments"], self.attachments(), strict=True):
            item["data"] = base64.b64encode(data).decode()
        return {**summary, "text": self.text(), "html": self.html(),
                "headers": [[name, str(value)] for name, value in self.email.items()],
                "links": self.links(),
                "raw": self.raw.decode("utf-8", errors="surrogateescape")}
