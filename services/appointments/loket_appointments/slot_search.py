# SPDX-License-Identifier: EUPL-1.2
"""The earliest free slots across offices, reading only as many days as the answer needs.

A search usually wants the first few dozen slots, which lie in the first days of a
horizon of weeks. Days are taken in growing chunks (2, 4, 8, … days per office); each
chunk's bookings are read with one query for all offices, and the search stops once it
holds ``limit`` slots that no later day can precede. Pure apart from ``occupied``.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from .availability import Slot, free_slots

FIRST_CHUNK_DAYS = 2

# {office id: days} -> {office id: taken units per (counter, day)}, as
# SlotLedger.occupied_at gives them.
Occupied = Callable[[dict[str, list[date]]], Mapping[str, Mapping[tuple[str, date], set[int]]]]


def earliest_slots(service: Mapping[str, Any],
                   days_by_office: Sequence[tuple[Mapping[str, Any], list[date]]],
                   occupied: Occupied, now: datetime, limit: int) -> list[Slot]:
    """The first ``limit`` free slots of ``service``, earliest first (ties: office id).

    ``days_by_office`` pairs each office with the days to search there, in order.
    """
    found: list[Slot] = []
    position = [0] * len(days_by_office)
    chunk = FIRST_CHUNK_DAYS
    while True:
        batches = {}
        for index, (office, days) in enumerate(days_by_office):
            batch = days[position[index]:position[index] + chunk]
            position[index] += len(batch)
            if batch:
                batches[office["id"]] = (office, batch)
        taken = occupied({office_id: batch for office_id, (_, batch) in batches.items()})
        for office_id, (office, batch) in batches.items():
            found.extend(free_slots(office, service, taken[office_id], batch, now))
        found.sort(key=lambda slot: (slot.start, slot.office_id))
        horizon = _earliest_unsearched(days_by_office, position)
        if horizon is None or (len(found) >= limit and found[limit - 1].start < horizon):
            return found[:limit]
        chunk *= 2


def _earliest_unsearched(days_by_office: Sequence[tuple[Mapping[str, Any], list[date]]],
                         position: list[int]) -> datetime | None:
    """The earliest moment a not yet searched day could offer a slot (None: all searched)."""
    starts = [datetime.combine(days[position[index]], time.min,
                               tzinfo=ZoneInfo(office["timezone"]))
              for index, (office, days) in enumerate(days_by_office)
              if position[index] < len(days)]
    return min(starts) if starts else None
