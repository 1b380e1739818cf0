# SPDX-License-Identifier: EUPL-1.2
"""A booking as an iCalendar file (RFC 5545): the gateway's download and the email attachment.

Built with the ``icalendar`` library; the file names the service, the office and the times,
never the person. No Flask here: the notifications service attaches the same file.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency
from icalendar import Alarm, Calendar, Event, vText

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
                   manage_url: str | None, now: datetime | None = None,
                   sequence: int = 0) -> bytes:
    """One VEVENT for ``booking`` (with service and office), in ``language``; no personal data.

    A cancelled booking gives ``STATUS:CANCELLED`` (still ``METHOD:PUBLISH``: the file is
    imported, not a scheduling reply); a moved one must pass a ``sequence`` higher than the
    file sent before, so calendars replace the event with the same UID. ``manage_url`` None
    (a cancelled booking has nothing left to manage) leaves out the link.
    """
    service, office = booking["service"], booking["office"]
    address = office["address"]
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{booking['reference']}@{booking['tenant']}.loket")
    event.add("dtstamp", (now or datetime.now(UTC)).astimezone(UTC))
    event.add("sequence", sequence)
    event.add("dtstart", as_utc(booking["start"]))
    event.add("dtend", as_utc(booking["end"]))
    event.add("summary", text_in(service["name"], language))
    event.add("location", vText(f"{text_in(office['name'], language)}, {address['street']}, "
                                f"{address['postal_code']} {address['city']}"))
    event.add("description", _description(booking, language, manage_url))
    event.add("organizer", ORGANIZER_ADDRESS, parameters={"CN": organizer_name})
    if manage_url:
        event.add("url", manage_url)
    cancelled = booking["state"] == "cancelled"
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if not cancelled:  # no reminder of an appointment that will not take place
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", text_in(service["name"], language))
        alarm.add("trigger", -REMINDER_BEFORE)
        event.add_component(alarm)
    calendar.add_component(event)
    return calendar.to_ical()


def text_in(text: dict[str, str] | None, language: str) -> str:
    """Pick ``language`` from a ``{"de": ..., "en": ...}`` text (German as fallback)."""
    if not text:
        return ""
    return text.get(language) or text.get("de") or next(iter(text.values()))


def money_in(cents: int, language: str) -> str:
    """An amount in euro, written the way ``language`` writes it (German for unknown ones)."""
    return format_currency(cents / 100, "EUR", locale=language if known_locale(language)
                           else "de")


def known_locale(language: str) -> bool:
    """Whether babel has CLDR data for ``language`` (an unknown ``?lang=`` must not break)."""
    try:
        Locale.parse(language)
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True


def as_utc(value: str | datetime) -> datetime:
    """An ISO string or a datetime (naive ones are UTC, as pymongo returns them) in UTC."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _description(booking: dict[str, Any], language: str, manage_url: str | None) -> str:
    """Reference, fee, documents to bring and the manage link: nothing about the person."""
    labels = LABELS.get(language, LABELS["en"])
    service = booking["service"]
    documents = [f"- {text_in(doc, language)}"
                 for doc in service.get("required_documents") or []]
    parts = [f"{labels['reference']}: {booking['reference']}"]
    if service.get("fee_cents") is not None:
        parts.append(f"{labels['fee']}: {money_in(service['fee_cents'], language)}")
    if documents:
        parts.append("\n".join([labels["bring"], *documents]))
    if manage_url:
        parts.append(f"{labels['manage']}: {manage_url}")
    return "\n".join(parts)
