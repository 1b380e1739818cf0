# SPDX-License-Identifier: EUPL-1.2
"""A booking as an iCalendar file (RFC 5545), built with the ``icalendar`` library."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from icalendar import Alarm, Calendar, Event, vText

PRODID = "-//Loket//Digitaler Bürgerservice//DE"
REMINDER_BEFORE = timedelta(days=1)


def _utc(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(UTC)


def booking_to_ics(booking: dict[str, Any], *, language: str, organizer_name: str,
                   manage_url: str, now: datetime | None = None) -> bytes:
    """One VEVENT for ``booking`` (with service and office), in ``language``; no personal data."""
    service, office = booking["service"], booking["office"]
    address = office["address"]
    documents = "\n".join(f"- {doc[language]}" for doc in service.get("required_documents", []))
    description = "\n".join(part for part in [
        f"{'Buchungsnummer' if language == 'de' else 'Booking reference'}: "
        f"{booking['reference']}",
        f"{'Gebühr' if language == 'de' else 'Fee'}: {service['fee_cents'] / 100:.2f} EUR",
        (("Bitte mitbringen:" if language == "de" else "Please bring:") + "\n" + documents)
        if documents else "",
        f"{'Ändern oder absagen' if language == 'de' else 'Change or cancel'}: {manage_url}",
    ] if part)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{booking['reference']}@{booking['tenant']}.loket")
    event.add("dtstamp", (now or datetime.now(UTC)).astimezone(UTC))
    event.add("dtstart", _utc(booking["start"]))
    event.add("dtend", _utc(booking["end"]))
    event.add("summary", service["name"][language])
    event.add("location", vText(f"{office['name'][language]}, {address['street']}, "
                                f"{address['postal_code']} {address['city']}"))
    event.add("description", description)
    event.add("organizer", "mailto:noreply@invalid", parameters={"CN": organizer_name})
    event.add("url", manage_url)
    event.add("status", "CANCELLED" if booking["state"] == "cancelled" else "CONFIRMED")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", service["name"][language])
    alarm.add("trigger", -REMINDER_BEFORE)
    event.add_component(alarm)
    calendar.add_component(event)
    return calendar.to_ical()
