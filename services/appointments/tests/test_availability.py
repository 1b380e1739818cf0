"""Free slots from opening hours, closures, counters, release policy and taken units."""
from datetime import UTC, date, datetime, time

from loket_appointments.availability import (
    ReleasePolicy,
    day_starts,
    free_slots,
    search_days,
    units_of,
)

OFFICE = {
    "id": "rathaus", "timezone": "Europe/Berlin",
    "counters": [{"id": "c1", "service_ids": ["id-card"]},
                 {"id": "c2", "service_ids": ["id-card", "passport"]}],
    "opening_hours": {"mon": [["08:00", "09:00"]], "tue": [["08:00", "09:00"]]},
    "closures": [{"date": "2026-12-01", "reason": {"de": "x", "en": "x"}}],
}
ID_CARD = {"id": "id-card", "duration_minutes": 15,
           "booking_policy": {"release_days_ahead": 14, "release_time": "07:00",
                              "min_lead_minutes": 60}}
MONDAY_EARLY = datetime(2026, 11, 23, 5, 0, tzinfo=UTC)  # 06:00 in Berlin, Monday


def test_slots_are_back_to_back_within_opening_hours():
    assert [t.isoformat() for t in day_starts([["08:00", "09:00"]], 20)] == [
        "08:00:00", "08:20:00", "08:40:00"]
    assert list(day_starts([["08:00", "08:10"]], 15)) == []


def test_units_cover_the_duration():
    start = datetime(2026, 11, 23, 8, 15)
    assert units_of(start, 15) == [99, 100, 101]


def test_release_policy_releases_one_more_day_at_release_time():
    policy = ReleasePolicy(days_ahead=14, release_time=time(7, 0))
    before = datetime(2026, 11, 23, 6, 59)
    after = datetime(2026, 11, 23, 7, 0)
    assert policy.last_released_day(before) == date(2026, 12, 6)
    assert policy.last_released_day(after) == date(2026, 12, 7)


def test_search_days_stop_at_the_release_horizon():
    days = search_days(OFFICE, ID_CARD, MONDAY_EARLY, None, None)
    assert days[0] == date(2026, 11, 23)
    assert days[-1] == date(2026, 12, 6)  # before 07:00: 13 days ahead


def test_lead_time_closures_and_taken_units_remove_slots():
    now = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # 08:00 Berlin: lead time 60 min
    days = [date(2026, 11, 23), date(2026, 11, 24), date(2026, 12, 1)]
    taken = {("c1", date(2026, 11, 24)): {96, 97, 98}, ("c2", date(2026, 11, 24)): {96}}
    slots = list(free_slots(OFFICE, ID_CARD, taken, days, now))
    # today is within the lead time, the 1st is closed, 08:00 on the 24th is taken on both
    assert all(slot.start.date() == date(2026, 11, 24) for slot in slots)
    assert [slot.start.strftime("%H:%M") for slot in slots] == ["08:15", "08:30", "08:45"]


def test_a_partly_taken_slot_offers_the_other_counter():
    now = datetime(2026, 11, 23, 5, 0, tzinfo=UTC)
    taken = {("c1", date(2026, 11, 24)): {96, 97, 98}}
    first = next(free_slots(OFFICE, ID_CARD, taken, [date(2026, 11, 24)], now))
    assert first.free_counters == ("c2",)
    assert first.start == datetime(2026, 11, 24, 7, 0, tzinfo=UTC)


def test_a_service_without_counters_has_no_slots():
    passport_only_elsewhere = {**ID_CARD, "id": "good-conduct"}
    assert list(free_slots(OFFICE, passport_only_elsewhere, {}, [date(2026, 11, 24)],
                           MONDAY_EARLY)) == []
