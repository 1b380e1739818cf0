# SPDX-License-Identifier: EUPL-1.2
"""Shared parts of the notifications tests: the owners' answers, a recording channel, a
renderer that names what it was given, and events as the owners publish them."""
from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

from kombu import Connection

from loket_common.events import Event
from loket_common.sealing import Sealer
from loket_common.topology import event_exchange

TENANT = "musterstadt"
EMAIL = "erika.mustermann@example.org"
STAFF_EMAIL = "weber@musterstadt.example"
WEBER = {"subject": "staff:weber", "name": "Sachbearbeiterin Weber", "role": "case_worker"}


def new_subject() -> str:
    """A fresh pseudonymous resident id."""
    return "r-" + uuid.uuid4().hex


def sealed(text: str) -> str:
    """``text`` sealed to the notifications service (the test key pair)."""
    return Sealer.for_notifications().seal(text)


def publish(config: dict[str, Any], source: str, event_type: str, data: dict[str, Any],
            tenant: str = TENANT, event_id: str | None = None) -> Event:
    """Publish an event as service ``source`` would (persistent, confirmed); return it."""
    event = Event(source=source, type=event_type, tenant=tenant, data=data,
                  **({"id": event_id} if event_id else {}))
    exchange = event_exchange(source)
    with Connection(config["AMQP_URI"], transport_options={"confirm_publish": True}) as conn:
        conn.Producer().publish(event.to_message(), exchange=exchange, routing_key=event_type,
                                declare=[exchange], delivery_mode=2, serializer="json")
    return event


# -- what the owners answer ------------------------------------------------------------------
def booking(reference: str, subject: str | None, email: str | None = EMAIL,
            language: str = "de") -> dict[str, Any]:
    """``appointments.booking_for_notification``'s answer."""
    return {"reference": reference, "state": "booked", "start": "2026-12-10T09:00:00+01:00",
            "end": "2026-12-10T09:15:00+01:00", "language": language, "tenant": TENANT,
            "office": {"id": "o-1", "name": {"de": "Bürgeramt Mitte", "en": "Citizens' Office"},
                       "address": {"street": "Marktplatz 1", "postal_code": "12345",
                                   "city": "Musterstadt"}, "time_zone": "Europe/Berlin"},
            "service": {"id": "s-1", "name": {"de": "Personalausweis", "en": "ID card"},
                        "fee_cents": 3700, "documents": []},
            "contact": {"name": "Erika Mustermann" if email else None, "email": email,
                        "language": language},
            "subject": subject, "cancelled_by": None, "cancellation_reason": None}


def application(application_id: str, subject: str) -> dict[str, Any]:
    """``permits.application_for_notification``'s answer."""
    return {"id": application_id, "reference": "AZ-2026-0042", "type_id": "special-use",
            "type_name": {"de": "Sondernutzung", "en": "Special use"}, "state": "submitted",
            "applicant": {"subject": subject, "language": "en"}, "fee_cents": 5000,
            "submitted_at": "2026-12-01T10:00:00+00:00", "due_at": "2026-12-29T10:00:00+00:00",
            "information_request": None, "decision": None, "next_step": None,
            "assigned_to": None}


def contact(email: str | None = EMAIL, channel: str = "email",
            consents: tuple[str, ...] = ()) -> dict[str, Any]:
    """``profile.contact_for_notification``'s answer."""
    return {"email": email, "name": "Erika Mustermann", "language": "en",
            "notification_channel": channel, "consents": list(consents)}


@dataclass
class Owners:
    """What the owner services answer, filled by each test."""

    bookings: dict[str, dict[str, Any]] = field(default_factory=dict)
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    applications: dict[str, dict[str, Any]] = field(default_factory=dict)
    contacts: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    staff: dict[str, dict[str, Any] | None] = field(default_factory=dict)


# -- the interfaces' other implementations ----------------------------------------------------
@dataclass(frozen=True)
class Result:
    """A ``SendResult`` as the delivery interface defines it."""

    outcome: str
    relay: str | None
    detail: str
    attempts: tuple = ()


class RecordingChannel:
    """A channel that keeps each ``Outgoing`` and answers a scripted outcome (else accepted)."""

    name = "email"

    def __init__(self) -> None:
        self.sent: list[Any] = []
        self.script: list[Result] = []
        self.lock = threading.Lock()

    def send(self, outgoing: Any) -> Result:
        with self.lock:
            self.sent.append(outgoing)
            if self.script:
                return self.script.pop(0)
        return Result("accepted", "local", "250")

    def for_tenant(self, tenant: dict[str, Any], channel: str) -> RecordingChannel:
        """As ``wiring.ChannelSet``: the same channel for every tenant."""
        return self


@dataclass(frozen=True)
class Attached:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    attachments: tuple


class NamingRenderer:
    """Renders a message as the kind, language and context it was given (URLs included)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, dict[str, Any]]] = []

    def render(self, kind: str, language: str, tenant: dict[str, Any],
               context: dict[str, Any]) -> Rendered:
        self.calls.append((kind, language, context))
        urls = " ".join(f"{key}={value}" for key, value in sorted(context.items())
                        if key.endswith("_url"))
        attachments = ((Attached("termin.ics", "text/calendar", b"BEGIN:VCALENDAR"),)
                       if kind == "booking_confirmed" else ())
        return Rendered(subject=f"{kind} {language}",
                        text=f"{tenant['name'][language]}: {sorted(context)} {urls}",
                        html=f"<p lang='{language}'>{kind}</p>", attachments=attachments)

    def sms_text(self, kind: str, language: str, tenant: dict[str, Any],
                 context: dict[str, Any]) -> str:
        return f"sms {kind} {language}"

    def preview(self, tenant: dict[str, Any], languages: list[str]) -> list[dict[str, Any]]:
        return [{"kind": "booking_confirmed", "language": language, "subject": "s",
                 "text": "t", "html": "h", "attachments": []} for language in languages]
