# SPDX-License-Identifier: EUPL-1.2
"""Dates, times and money as the recipient reads them: babel, in the office's time zone.

Registered on the template environment as filters that take the language and the time zone
from the template's context (``language``, ``time_zone``), so a template writes only
``{{ booking.start | moment }}``.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, format_time
from babel.numbers import format_currency
from jinja2 import Environment, Undefined, pass_context
from jinja2.runtime import Context

from loket_common.booking_calendar import as_utc, text_in

DEFAULT_TIME_ZONE = "Europe/Berlin"
# The locale of each language Loket writes; others are written the British way.
LOCALES = {"de": "de_DE", "en": "en_GB"}


def locale_for(language: str) -> str:
    """The babel locale of ``language``: ``de_DE``, ``en_GB`` (also for any other)."""
    return LOCALES.get(language, LOCALES["en"])


def time_zone_of(office: dict[str, Any] | None) -> str:
    """The office's IANA time zone, else Europe/Berlin.

    The office names it ``time_zone`` or, as the catalogue does, ``timezone``; a name the
    system does not know also gives Europe/Berlin.
    """
    name = (office or {}).get("time_zone") or (office or {}).get("timezone")
    if not name:
        return DEFAULT_TIME_ZONE
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return DEFAULT_TIME_ZONE
    return str(name)


def local(value: str | datetime, time_zone: str) -> datetime:
    """An instant (ISO string or datetime; naive is UTC) as wall-clock time in ``time_zone``."""
    return as_utc(value).astimezone(ZoneInfo(time_zone))


def format_day(value: str | datetime, language: str, time_zone: str) -> str:
    """The day with its weekday: "Dienstag, 1. Dezember 2026", "Tuesday, 1 December 2026"."""
    return format_date(local(value, time_zone), "full", locale=locale_for(language))


def format_clock(value: str | datetime, language: str, time_zone: str) -> str:
    """The time of day: "09:15 Uhr" (as German offices write it), "09:15"."""
    clock = format_time(local(value, time_zone), "HH:mm", locale=locale_for(language))
    return f"{clock} Uhr" if language == "de" else clock


def format_moment(value: str | datetime, language: str, time_zone: str) -> str:
    """Day and time: "Dienstag, 1. Dezember 2026, 09:15 Uhr", "Tuesday, 1 December ... at 09:15"."""
    day, clock = format_day(value, language, time_zone), format_clock(value, language, time_zone)
    return f"{day}, {clock}" if language == "de" else f"{day} at {clock}"


def format_calendar_date(value: str | date | datetime, language: str, time_zone: str) -> str:
    """A date ("2026-12-15", or the local day of an instant): "15. Dezember 2026"."""
    if isinstance(value, datetime) or (isinstance(value, str) and "T" in value):
        day: date = local(value, time_zone).date()
    elif isinstance(value, str):
        day = date.fromisoformat(value)
    else:
        day = value
    return format_date(day, "long", locale=locale_for(language))


def format_money(cents: int, language: str) -> str:
    """An amount in euro: "37,80 €", "€37.80"."""
    return format_currency(cents / 100, "EUR", locale=locale_for(language))


def register_filters(environment: Environment) -> None:
    """Add the filters: day, clock, moment, calendar_date, money, text, address.

    A missing key fails (StrictUndefined); a None value (a fact the owner did not give)
    writes nothing, so the templates leave such sentences out with an ``if``.
    """

    def _tz(context: Context) -> str:
        return str(context.get("time_zone") or DEFAULT_TIME_ZONE)

    def _language(context: Context) -> str:
        return str(context.get("language") or "de")

    @pass_context
    def day(context: Context, value: str | datetime) -> str:
        value = _defined(value)
        return "" if value is None else format_day(value, _language(context), _tz(context))

    @pass_context
    def clock(context: Context, value: str | datetime) -> str:
        value = _defined(value)
        return "" if value is None else format_clock(value, _language(context), _tz(context))

    @pass_context
    def moment(context: Context, value: str | datetime) -> str:
        value = _defined(value)
        return "" if value is None else format_moment(value, _language(context), _tz(context))

    @pass_context
    def calendar_date(context: Context, value: str | date | datetime) -> str:
        value = _defined(value)
        if value is None:
            return ""
        return format_calendar_date(value, _language(context), _tz(context))

    @pass_context
    def money(context: Context, cents: int) -> str:
        cents = _defined(cents)
        return "" if cents is None else format_money(cents, _language(context))

    @pass_context
    def text(context: Context, value: dict[str, str] | None) -> str:
        return text_in(_defined(value), _language(context))

    environment.filters.update(day=day, clock=clock, moment=moment, calendar_date=calendar_date,
                               money=money, text=text, address=postal_address)


def _defined(value: Any) -> Any:
    """Filters get an undefined value without complaint: fail as StrictUndefined would."""
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()
    return value


def postal_address(value: dict[str, Any] | str | None) -> str:
    """An address dict ({street, postal_code, city}) or string as one line."""
    if not value:
        return ""
    if isinstance(value, str):
        return value
    return ", ".join(part for part in (
        value.get("street"), " ".join(p for p in (value.get("postal_code"), value.get("city"))
                                      if p)) if part)
