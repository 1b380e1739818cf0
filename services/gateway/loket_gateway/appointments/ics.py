# SPDX-License-Identifier: EUPL-1.2
"""A booking as an iCalendar file (RFC 5545), built with the ``icalendar`` library."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from icalendar import Alarm, Calendar, Event, vText

from ..core.i18n import LANGUAGE_NAMES, money_in, text_in

PRODID = "-//Loket//Digitaler Bürgerservice//DE"
REMINDER_BEFORE = timedelta(days=1)
# RFC 5546 wants an ORGANIZER with METHOD:PUBLISH; replies must go nowhere.
ORGANIZER_ADDRESS = "mailto:noreply@invalid"

# Labels of the description; other languages read the English ones (as gettext would).
LABELS = {
    "de": {"reference": "Buchungsnummer", "fee": "Gebühr", "bring": "Bitte mitbringen:",
           "manage": "Ändern oder absagen"},
    "en": {"reference": "Booking reference", "fee": "Fee", "bring": "Please bring:",
           "manage": "Change or cancel"},
}


def booking_to_ics(booking: dict[str, Any], *, language: str, organizer_name: str,
                   manage_url: str, now: datetime | None = None) -> bytes:
    """One VEVENT for ``booking`` (with service and office), in ``language``; no personal data."""
    service, office = booking["service"], booking["office"]
    address = office["address"]
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{booking['reference']}@{booking['tenant']}.loket")
    event.add("dtstamp", (now or datetime.now(UTC)).astimezone(UTC))
    event.add("dtstart", _utc(booking["start"]))
    event.add("dtend", _utc(booking["end"]))
    event.add("summary", text_in(service["name"], language))
    event.add("location", vText(f"{text_in(office['name'], language)}, {address['street']}, "
                                f"{address['postal_code']} {address['city']}"))
    event.add("description", _description(booking, language, manage_url))
    event.add("organizer", ORGANIZER_ADDRESS, parameters={"CN": organizer_name})
    event.add("url", manage_url)
    event.add("status", "CANCELLED" if booking["state"] == "cancelled" else "CONFIRMED")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text_in(service["name"], language))
    alarm.add("trigger", -REMINDER_BEFORE)
    event.add_component(alarm)
    calendar.add_component(event)
    return calendar.to_ical()


def _description(booking: dict[str, Any], language: str, manage_url: str) -> str:
    """Reference, fee, documents to bring and the manage link: nothing about the person."""
    labels = LABELS.get(language, LABELS["en"])
    service = booking["service"]
    # An unknown ?lang= must not break the download: such amounts are written the German way.
    fee = money_in(service["fee_cents"], language if language in LANGUAGE_NAMES else "de")
    documents = [f"- {text_in(doc, language)}" for doc in service.get("required_documents", [])]
    parts = [f"{labels['reference']}: {booking['reference']}", f"{labels['fee']}: {fee}"]
    if documents:
        parts.append("\n".join([labels["bring"], *documents]))
    parts.append(f"{labels['manage']}: {manage_url}")
    return "\n".join(parts)


def _utc(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(UTC)
