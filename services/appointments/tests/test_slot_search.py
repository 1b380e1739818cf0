"""The chunked earliest-first search gives exactly what searching every day would give."""
import random
from datetime import UTC, date, datetime, timedelta

import pytest

from loket_appointments.availability import free_slots
from loket_appointments.slot_search import earliest_slots

EVERY_DAY = {day: [["08:00", "12:00"], ["13:00", "16:00"]]
             for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
BERLIN = {"id": "berlin", "timezone": "Europe/Berlin", "opening_hours": EVERY_DAY,
          "counters": [{"id": "c1", "service_ids": ["id-card"]},
                       {"id": "c2", "service_ids": ["id-card"]}]}
NEW_YORK = {**BERLIN, "id": "new-york", "timezone": "America/New_York"}
SERVICE = {"id": "id-card", "duration_minutes": 15,
           "booking_policy": {"min_lead_minutes": 0}}
NOW = datetime(2026, 11, 23, 5, 0, tzinfo=UTC)
DAYS = [date(2026, 11, 23) + timedelta(days=n) for n in range(28)]


def random_occupancy(seed):
    rng = random.Random(seed)
    taken = {}
    for office in (BERLIN, NEW_YORK):
        for counter in ("c1", "c2"):
            for day in DAYS:
                # busy early days, a free day now and then
                share = 0.0 if rng.random() < 0.1 else rng.choice([0.3, 0.9, 1.0])
                units = {unit for unit in range(96, 192) if rng.random() < share}
                taken[(office["id"], counter, day)] = units
    return taken


def occupied_from(taken, calls):
    def occupied(days_by_office):
        calls.append({office_id: len(days) for office_id, days in days_by_office.items()})
        return {office_id: {(counter, day): units
                            for (office, counter, day), units in taken.items()
                            if office == office_id and day in days}
                for office_id, days in days_by_office.items()}
    return occupied


def every_slot(taken):
    slots = []
    for office in (BERLIN, NEW_YORK):
        taken_here = occupied_from(taken, [])({office["id"]: DAYS})[office["id"]]
        slots.extend(free_slots(office, SERVICE, taken_here, DAYS, NOW))
    return sorted(slots, key=lambda slot: (slot.start, slot.office_id))


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("limit", [1, 7, 50, 400, 10_000])
def test_the_chunked_search_equals_searching_every_day(seed, limit):
    taken = random_occupancy(seed)
    found = earliest_slots(SERVICE, [(BERLIN, DAYS), (NEW_YORK, DAYS)],
                           occupied_from(taken, []), NOW, limit)
    assert found == every_slot(taken)[:limit]


def test_a_short_answer_reads_only_the_first_days():
    calls = []
    found = earliest_slots(SERVICE, [(BERLIN, DAYS)], occupied_from({}, calls), NOW, 20)
    assert len(found) == 20
    assert calls == [{"berlin": 2}]  # 2 days hold 56 slots: nothing more was read


def test_no_days_and_no_offices_give_nothing():
    assert earliest_slots(SERVICE, [], occupied_from({}, []), NOW, 10) == []
    assert earliest_slots(SERVICE, [(BERLIN, [])], occupied_from({}, []), NOW, 10) == []

