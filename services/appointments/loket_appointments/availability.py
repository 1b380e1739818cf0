# SPDX-License-Identifier: EUPL-1.2
"""Free slots, computed from opening hours, closures, counters, the release policy and bookings.

Pure domain logic, no I/O. Time is cut into units of :data:`UNIT_MINUTES`; a
booking occupies the units of its counter's day from its start for its
duration, and the database guards those units atomically (``ledger.py``).
"""
from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from loket_contracts.appointments.catalogue import FIRST_COME, LOTTERY, UNIT_MINUTES, WEEKDAYS

MAX_SEARCH_DAYS = 92


@dataclass(frozen=True)
class Release:
    """One release: the day it opens, when it opened, and (lottery) when it is drawn."""

    day: date
    opened_at: datetime
    draw_at: datetime | None

    def in_lottery(self, now: datetime) -> bool:
        """True while entries for this release are collected."""
        return self.draw_at is not None and self.opened_at <= now < self.draw_at


@dataclass(frozen=True)
class ReleasePolicy:
    """Slots are released ``days_ahead`` days ahead at ``release_time`` (local time).

    In ``lottery`` mode the newly released day is not bookable for
    ``lottery_window_minutes``: requests collected meanwhile are drawn at its end.
    """

    days_ahead: int = 28
    release_time: time = time(7, 0)
    min_lead_minutes: int = 60
    mode: str = FIRST_COME
    lottery_window_minutes: int = 60

    @classmethod
    def of(cls, service: Mapping[str, Any]) -> ReleasePolicy:
        """The policy stored with an offered service."""
        policy = service.get("booking_policy") or {}
        return cls(days_ahead=policy.get("release_days_ahead", 28),
                   release_time=time.fromisoformat(policy.get("release_time", "07:00")),
                   min_lead_minutes=policy.get("min_lead_minutes", 60),
                   mode=policy.get("release_mode", FIRST_COME),
                   lottery_window_minutes=policy.get("lottery_window_minutes", 60))

    def last_released_day(self, now_local: datetime) -> date:
        """The last day whose slots are released at ``now_local``."""
        days = self.days_ahead if now_local.time() >= self.release_time else self.days_ahead - 1
        return now_local.date() + timedelta(days=days)

    def latest_release(self, now_local: datetime) -> Release:
        """The most recent release at ``now_local`` (aware, in the office's zone)."""
        released_on = now_local.date()
        if now_local.time() < self.release_time:
            released_on -= timedelta(days=1)
        opened_at = datetime.combine(released_on, self.release_time, tzinfo=now_local.tzinfo)
        # Added in UTC: a window over a daylight-saving change lasts its minutes exactly.
        draw_at = (opened_at.astimezone(UTC) + timedelta(minutes=self.lottery_window_minutes)
                   if self.mode == LOTTERY else None)
        return Release(released_on + timedelta(days=self.days_ahead), opened_at, draw_at)

    def in_lottery(self, day: date, now_local: datetime) -> bool:
        """True while ``day`` is released by lottery: not searchable, not holdable."""
        release = self.latest_release(now_local)
        return release.day == day and release.in_lottery(now_local)

    def earliest_start(self, now: datetime) -> datetime:
        """No slot may start sooner than the minimum lead time."""
        return now + timedelta(minutes=self.min_lead_minutes)


@dataclass(frozen=True)
class Slot:
    """A bookable start at an office, with the counters still free for it."""

    office_id: str
    service_id: str
    start: datetime
    end: datetime
    free_counters: tuple[str, ...]


def units_of(start_local: datetime, duration_minutes: int) -> list[int]:
    """The day's time units a booking from ``start_local`` occupies."""
    first = (start_local.hour * 60 + start_local.minute) // UNIT_MINUTES
    return list(range(first, first + duration_minutes // UNIT_MINUTES))


def day_starts(intervals: list[list[str]], duration_minutes: int) -> Iterator[time]:
    """Slot starts of one day: back to back from each opening, ending by its closing."""
    step = timedelta(minutes=duration_minutes)
    for opens, closes in intervals:
        cursor = datetime.combine(date.min, time.fromisoformat(opens))
        end = datetime.combine(date.min, time.fromisoformat(closes))
        while cursor + step <= end:
            yield cursor.time()
            cursor += step


def counters_for(office: Mapping[str, Any], service_id: str) -> list[str]:
    """The office's counters that serve ``service_id``."""
    return [counter["id"] for counter in office.get("counters", [])
            if service_id in counter["service_ids"]]


def search_days(office: Mapping[str, Any], service: Mapping[str, Any], now: datetime,
                date_from: date | None, date_to: date | None,
                undrawn: Collection[date] = ()) -> list[date]:
    """The days a search covers: today or later, released, at most :data:`MAX_SEARCH_DAYS`.

    Days in a lottery window, and ``undrawn`` days (window over, draw not yet
    done), are left out: they are allocated by the draw, not first come.
    """
    zone = ZoneInfo(office["timezone"])
    now_local = now.astimezone(zone)
    policy = ReleasePolicy.of(service)
    first = max(date_from or now_local.date(), now_local.date())
    last = policy.last_released_day(now_local)
    if date_to is not None:
        last = min(last, date_to)
    last = min(last, first + timedelta(days=MAX_SEARCH_DAYS - 1))
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [day for day in days
            if day not in undrawn and not policy.in_lottery(day, now_local)]


def free_slots(office: Mapping[str, Any], service: Mapping[str, Any],
               occupied: Mapping[tuple[str, date], set[int]], days: list[date],
               now: datetime) -> Iterator[Slot]:
    """Free slots of ``service`` at ``office`` on ``days``, earliest first.

    ``occupied`` maps (counter id, day) to the units already claimed there.
    """
    zone = ZoneInfo(office["timezone"])
    counters = counters_for(office, service["id"])
    if not counters or False in (office.get("active"), service.get("active")):
        return  # nothing to offer, or no longer offered (deactivated)
    duration = service["duration_minutes"]
    earliest = ReleasePolicy.of(service).earliest_start(now)
    closed = {str(closure["date"]) for closure in office.get("closures", [])}
    for day in days:
        if day.isoformat() in closed:
            continue
        for start_time in day_starts(office.get("opening_hours", {}).get(
                WEEKDAYS[day.weekday()], []), duration):
            start = datetime.combine(day, start_time, tzinfo=zone)
            if start < earliest:
                continue
            needed = set(units_of(start, duration))
            free = tuple(counter for counter in counters
                         if not needed & occupied.get((counter, day), set()))
            if free:
                yield Slot(office["id"], service["id"], start,
                           start + timedelta(minutes=duration), free)
