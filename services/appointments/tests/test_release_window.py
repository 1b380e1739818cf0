"""The lottery window of a release: pure time logic, no I/O."""
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from loket_appointments.availability import ReleasePolicy, free_slots, search_days

BERLIN = ZoneInfo("Europe/Berlin")
LOTTERY = ReleasePolicy(days_ahead=14, release_time=time(7, 0), mode="lottery",
                        lottery_window_minutes=60)
OFFICE = {"id": "rathaus", "timezone": "Europe/Berlin",
          "counters": [{"id": "c1", "service_ids": ["passport"]}],
          "opening_hours": {day: [["08:00", "09:00"]] for day in ("mon", "tue", "wed", "thu",
                                                                "fri", "sat", "sun")}}
PASSPORT = {"id": "passport", "duration_minutes": 20,
            "booking_policy": {"release_days_ahead": 14, "release_time": "07:00",
                               "min_lead_minutes": 60, "release_mode": "lottery",
                               "lottery_window_minutes": 60}}


def berlin(hour, minute=0, day=23):
    return datetime(2026, 11, day, hour, minute, tzinfo=BERLIN)


def test_the_policy_reads_mode_and_window_with_first_come_as_default():
    assert ReleasePolicy.of(PASSPORT) == LOTTERY
    assert ReleasePolicy.of({}).mode == "first_come"
    assert ReleasePolicy.of({}).lottery_window_minutes == 60


@pytest.mark.parametrize("now, in_lottery", [
    (berlin(6, 59), False),  # not released yet
    (berlin(7, 0), True),    # the window opens at release time
    (berlin(7, 59), True),
    (berlin(8, 0), False),   # drawn at release time + window
])
def test_the_newly_released_day_is_in_lottery_during_the_window(now, in_lottery):
    assert LOTTERY.in_lottery(date(2026, 12, 7), now) is in_lottery
    assert not LOTTERY.in_lottery(date(2026, 12, 6), now)  # released yesterday


def test_first_come_has_no_lottery_and_no_draw():
    first_come = ReleasePolicy(days_ahead=14, release_time=time(7, 0))
    assert not first_come.in_lottery(date(2026, 12, 7), berlin(7, 30))
    assert first_come.latest_release(berlin(7, 30)).draw_at is None


def test_the_latest_release_before_release_time_is_yesterdays():
    release = LOTTERY.latest_release(berlin(6, 0))
    assert release.day == date(2026, 12, 6)
    assert release.opened_at == berlin(7, 0, day=22)
    assert release.draw_at == berlin(8, 0, day=22)


def test_a_window_may_run_past_midnight():
    late = ReleasePolicy(days_ahead=14, release_time=time(22, 0), mode="lottery",
                         lottery_window_minutes=180)
    assert late.in_lottery(date(2026, 12, 6), berlin(0, 30, day=23))  # released 22 Nov 22:00
    assert not late.in_lottery(date(2026, 12, 6), berlin(1, 0, day=23))


def test_a_window_over_the_daylight_saving_change_lasts_its_minutes():
    night = ReleasePolicy(days_ahead=14, release_time=time(1, 30), mode="lottery",
                          lottery_window_minutes=60)
    release = night.latest_release(datetime(2027, 3, 28, 4, 0, tzinfo=BERLIN))  # CET -> CEST
    assert release.draw_at - release.opened_at == timedelta(minutes=60)
    assert release.draw_at.astimezone(BERLIN).hour == 3  # 01:30 CET + 1 h = 03:30 CEST


def test_search_leaves_out_the_day_in_lottery_and_undrawn_days():
    during = berlin(7, 30).astimezone(UTC)
    days = search_days(OFFICE, PASSPORT, during, None, None)
    assert days[-1] == date(2026, 12, 6) and date(2026, 12, 7) not in days
    after = berlin(8, 0).astimezone(UTC)
    assert search_days(OFFICE, PASSPORT, after, None, None)[-1] == date(2026, 12, 7)
    assert date(2026, 12, 7) not in search_days(OFFICE, PASSPORT, after, None, None,
                                                undrawn={date(2026, 12, 7)})
    day = [date(2026, 12, 7)]
    assert len(list(free_slots(OFFICE, PASSPORT, {}, day, after))) == 3
