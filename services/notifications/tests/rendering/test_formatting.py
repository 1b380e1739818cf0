"""Dates and times in the office's time zone with babel, also around a change of DST."""
from datetime import UTC, date, datetime

import pytest

from loket_notifications.rendering.formatting import (
    format_calendar_date,
    format_clock,
    format_day,
    format_moment,
    format_money,
    time_zone_of,
)

BERLIN = "Europe/Berlin"


@pytest.mark.parametrize(("instant", "clock"), [
    ("2026-10-25T00:30:00+00:00", "02:30 Uhr"),  # still summer time (UTC+2)
    ("2026-10-25T01:30:00+00:00", "02:30 Uhr"),  # the hour again, winter time (UTC+1)
    ("2026-10-25T02:30:00Z", "03:30 Uhr"),
    ("2026-03-29T00:59:00+00:00", "01:59 Uhr"),  # before the spring change
    ("2026-03-29T01:00:00+00:00", "03:00 Uhr"),  # 02:00 does not exist
])
def test_clock_times_follow_berlins_daylight_saving(instant, clock):
    assert format_clock(instant, "de", BERLIN) == clock


def test_the_same_instant_as_string_aware_and_naive_datetime():
    for value in ("2026-07-01T07:00:00Z", datetime(2026, 7, 1, 7, 0, tzinfo=UTC),
                  datetime(2026, 7, 1, 7, 0)):
        assert format_moment(value, "de", BERLIN) == "Mittwoch, 1. Juli 2026, 09:00 Uhr"
        assert format_moment(value, "en", BERLIN) == "Wednesday, 1 July 2026 at 09:00"


def test_a_late_utc_instant_is_the_next_day_in_berlin():
    assert format_day("2026-12-31T23:30:00Z", "en", BERLIN) == "Friday, 1 January 2027"
    assert format_calendar_date("2026-12-31T23:30:00Z", "de", BERLIN) == "1. Januar 2027"


def test_a_plain_date_is_not_shifted():
    assert format_calendar_date("2026-12-04", "de", "Pacific/Auckland") == "4. Dezember 2026"
    assert format_calendar_date(date(2026, 12, 4), "en", BERLIN) == "4 December 2026"


def test_money_per_locale():
    assert format_money(3780, "de") == "37,80\xa0€"
    assert format_money(3780, "en") == "€37.80"
    assert format_money(3780, "fr") == "€37.80"  # other languages: the British way


def test_the_office_time_zone_wins_and_berlin_is_the_default():
    assert time_zone_of({"time_zone": "Europe/Lisbon"}) == "Europe/Lisbon"
    assert time_zone_of({"timezone": "Europe/Lisbon"}) == "Europe/Lisbon"
    assert time_zone_of({}) == BERLIN and time_zone_of(None) == BERLIN
    assert time_zone_of({"time_zone": "Mars/Olympus"}) == BERLIN
    assert format_clock("2026-07-01T07:00:00Z", "en", "Europe/Lisbon") == "08:00"
