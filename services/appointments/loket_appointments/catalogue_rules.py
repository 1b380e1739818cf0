# SPDX-License-Identifier: EUPL-1.2
"""Rules a catalogue change must keep: references that resolve, bookings that still fit.

Pure domain logic, no I/O: ``catalogue_admin.py`` reads the documents and the
bookings, asks these functions, and writes.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from loket_common.errors import ValidationFailed

from .availability import WEEKDAYS


def check_office_references(office: Mapping[str, Any], known_service_ids: Iterable[str]) -> None:
    """Raise :class:`ValidationFailed` unless every service id the office names exists.

    The office's ``service_ids`` must name the tenant's active services, its
    counters must have distinct ids and serve only services the office offers.
    """
    known = set(known_service_ids)
    problems: list[dict[str, str]] = []
    for service_id in office["service_ids"]:
        if service_id not in known:
            problems.append({"name": "service_ids", "reason": f"No such service: {service_id}."})
    counter_ids = [counter["id"] for counter in office.get("counters", [])]
    if len(counter_ids) != len(set(counter_ids)):
        problems.append({"name": "counters", "reason": "Counter ids must be distinct."})
    for counter in office.get("counters", []):
        for service_id in counter["service_ids"]:
            if service_id not in office["service_ids"]:
                problems.append({"name": f"counters.{counter['id']}.service_ids",
                                 "reason": f"The office does not offer {service_id}."})
    dates = [str(closure["date"]) for closure in office.get("closures", [])]
    if len(dates) != len(set(dates)):
        problems.append({"name": "closures", "reason": "Each date may be closed once."})
    if problems:
        raise ValidationFailed("The office names what does not exist.", invalid_params=problems)


def booking_fits(office: Mapping[str, Any], booking: Mapping[str, Any]) -> bool:
    """True when ``office`` (as it would be after a change) can still serve ``booking``."""
    if office.get("active") is False:
        return False
    if booking["service_id"] not in office["service_ids"]:
        return False
    counter = next((counter for counter in office.get("counters", [])
                    if counter["id"] == booking["counter_id"]), None)
    if counter is None or booking["service_id"] not in counter["service_ids"]:
        return False
    zone = ZoneInfo(office["timezone"])
    start, end = booking["start"].astimezone(zone), booking["end"].astimezone(zone)
    if start.date() != end.date():
        return False
    if start.date().isoformat() in {str(c["date"]) for c in office.get("closures", [])}:
        return False
    opens_at, closes_at = start.strftime("%H:%M"), end.strftime("%H:%M")
    intervals = office.get("opening_hours", {}).get(WEEKDAYS[start.weekday()], [])
    return any(opens <= opens_at and closes_at <= closes for opens, closes in intervals)


def stranded_by_office(office: Mapping[str, Any],
                       bookings: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The bookings at ``office`` that its changed version could no longer serve."""
    return [booking for booking in bookings if not booking_fits(office, booking)]
