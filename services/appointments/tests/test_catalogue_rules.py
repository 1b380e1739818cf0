"""Catalogue rules without I/O: references resolve, changed offices keep their bookings."""
from datetime import UTC, datetime

import pytest

from loket_appointments.availability import free_slots
from loket_appointments.catalogue_admin import checked_kind, checked_version, with_id
from loket_appointments.catalogue_rules import (
    booking_fits,
    check_office_references,
    stranded_by_office,
)
from loket_appointments.demo import OFFICES, SERVICES
from loket_common.errors import ValidationFailed
from loket_common.validation import load
from loket_contracts.appointments.catalogue import OfferedServiceSchema, OfficeSchema

OFFICE = {"id": "rathaus", "timezone": "Europe/Berlin", "service_ids": ["id-card", "passport"],
          "counters": [{"id": "c1", "service_ids": ["id-card"]},
                       {"id": "c2", "service_ids": ["id-card", "passport"]}],
          "opening_hours": {"tue": [["08:00", "12:00"], ["13:00", "16:00"]]},
          "closures": []}
# Tuesday 1 December 2026, 08:00-08:15 in Berlin (UTC+1)
BOOKING = {"service_id": "id-card", "counter_id": "c1",
           "start": datetime(2026, 12, 1, 7, 0, tzinfo=UTC),
           "end": datetime(2026, 12, 1, 7, 15, tzinfo=UTC)}
TEXT = {"de": "x", "en": "x"}


def test_a_booking_fits_the_office_as_it_is():
    assert booking_fits(OFFICE, BOOKING)


@pytest.mark.parametrize("change", [
    {"active": False},
    {"closures": [{"date": "2026-12-01", "reason": TEXT}]},
    {"counters": [{"id": "c2", "service_ids": ["id-card"]}]},
    {"counters": [{"id": "c1", "service_ids": ["passport"]}]},
    {"service_ids": ["passport"]},
    {"opening_hours": {"tue": [["08:05", "12:00"]]}},
    {"opening_hours": {"wed": [["08:00", "12:00"]]}},
    {"timezone": "Europe/London"},  # 08:00 Berlin is 07:00 in London: before opening
], ids=["deactivated", "closed", "counter-removed", "counter-changed", "service-removed",
        "opens-later", "other-weekday", "time-zone"])
def test_changes_that_strand_a_booking(change):
    assert stranded_by_office({**OFFICE, **change}, [BOOKING]) == [BOOKING]


@pytest.mark.parametrize("change", [
    {"closures": [{"date": "2026-12-02", "reason": TEXT}]},
    {"opening_hours": {"tue": [["07:00", "08:15"]]}},
    {"counters": [*OFFICE["counters"], {"id": "c3", "service_ids": ["passport"]}]},
])
def test_changes_that_keep_a_booking(change):
    assert stranded_by_office({**OFFICE, **change}, [BOOKING]) == []


def test_office_references_must_resolve():
    check_office_references(OFFICE, ["id-card", "passport", "other"])
    with pytest.raises(ValidationFailed) as raised:
        check_office_references({**OFFICE, "counters": [
            {"id": "c1", "service_ids": ["registration"]},
            {"id": "c1", "service_ids": []}]}, ["id-card"])
    names = {param["name"] for param in raised.value.extra["invalid_params"]}
    assert names == {"service_ids", "counters", "counters.c1.service_ids"}
    with pytest.raises(ValidationFailed):
        check_office_references({**OFFICE, "closures": [{"date": "2026-12-24"}] * 2},
                                ["id-card", "passport"])


def test_demo_catalogue_passes_the_admin_rules():
    for office in OFFICES:
        check_office_references(load(OfficeSchema(), office), [s["id"] for s in SERVICES])


@pytest.mark.parametrize("field, value", [
    ("timezone", "Mars/Olympus"),
    ("opening_hours", {"mon": [["12:00", "08:00"]]}),
    ("opening_hours", {"mon": [["08:00", "12:00"], ["11:00", "14:00"]]}),
    ("opening_hours", {"someday": [["08:00", "12:00"]]}),
    ("opening_hours", {"mon": [["8:00", "12:00"]]}),
    ("closures", [{"date": "2026-02-30", "reason": TEXT}]),
    ("id", "Not A Slug"),
])
def test_office_schema_refuses(field, value):
    with pytest.raises(ValidationFailed):
        load(OfficeSchema(), {**OFFICES[0], field: value})


def test_service_durations_stay_on_the_five_minute_grid():
    with pytest.raises(ValidationFailed):
        load(OfferedServiceSchema(), {**SERVICES[0], "duration_minutes": 12})


def test_deactivated_entries_offer_no_slots():
    service = {"id": "id-card", "duration_minutes": 15,
               "booking_policy": {"release_days_ahead": 30, "release_time": "00:00",
                                  "min_lead_minutes": 0}}
    days = [datetime(2026, 12, 1).date()]
    now = datetime(2026, 11, 23, tzinfo=UTC)
    assert list(free_slots(OFFICE, service, {}, days, now))
    assert not list(free_slots({**OFFICE, "active": False}, service, {}, days, now))
    assert not list(free_slots(OFFICE, {**service, "active": False}, {}, days, now))


def test_edge_arguments_are_checked():
    assert checked_version(3) == 3
    assert checked_version(None, required=False) is None
    for bad in (None, 0, -1, "3", True):
        with pytest.raises(ValidationFailed):
            checked_version(bad)
    assert checked_kind("office") == "office"
    with pytest.raises(ValidationFailed):
        checked_kind("bookings")
    assert with_id({"name": "x"}, "a") == {"name": "x", "id": "a"}
    with pytest.raises(ValidationFailed):
        with_id({"id": "b"}, "a")
