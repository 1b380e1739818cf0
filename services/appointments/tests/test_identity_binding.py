"""Services with ``identity_required``: held and booked only signed in, bound to the person.

The rules alone (pure), then a hold, confirmation, move and the counter's day list against
the real database.
"""
from datetime import UTC, datetime

import pytest

from loket_appointments.booking_desk import BookingDesk, DeskSettings, ensure_desk_indexes
from loket_appointments.counter_desk import CounterDesk
from loket_appointments.exceptions import (
    BookingLimitReached,
    IdentityRequired,
    NotTransferable,
    TrustLevelTooLow,
)
from loket_appointments.identity_binding import (
    bound_contact,
    check_same_person,
    holder_binding,
    reaches,
)
from loket_appointments.ledger import ensure_ledger_indexes
from loket_common.testing import Clock

TENANT = "testtown"
WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
OFFICE = {"id": "rathaus", "timezone": "Europe/Berlin", "service_ids": ["passport"],
          "counters": [{"id": "c1", "service_ids": ["passport"]}],
          "opening_hours": {day: [["08:00", "12:00"]] for day in WEEK}}
BOUND = {"id": "passport", "duration_minutes": 15, "identity_required": "substantial",
         "booking_policy": {"release_days_ahead": 14, "release_time": "00:00",
                            "min_lead_minutes": 0, "max_active_bookings_per_person": 1}}
NOW = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
SLOT, LATER = datetime(2026, 11, 24, 7, 0, tzinfo=UTC), datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
ANNA = {"subject": "r-" + "a" * 32, "trust_level": "substantial"}
BEN = {"subject": "r-" + "b" * 32, "trust_level": "high"}
TYPED = {"name": "Somebody Else", "email": "buyer@example.org", "language": "de"}
SIGNED_IN = {"trust_level": "substantial", "name": "Anna Schmidt"}


@pytest.mark.parametrize(("level", "minimum", "enough"), [
    ("substantial", "substantial", True), ("high", "substantial", True),
    ("low", "substantial", False), (None, "low", False), ("bogus", "low", False)])
def test_trust_levels_are_ordered(level, minimum, enough):
    assert reaches(level, minimum) is enough


def test_a_bound_service_is_held_only_signed_in_at_its_level():
    with pytest.raises(IdentityRequired) as anonymous:
        holder_binding(BOUND, None)
    assert anonymous.value.extra == {"required_level": "substantial"}
    with pytest.raises(TrustLevelTooLow):
        holder_binding(BOUND, {**ANNA, "trust_level": "low"})
    assert holder_binding(BOUND, ANNA) == {"subject": ANNA["subject"],
                                           "identity_required": "substantial"}
    assert holder_binding({**BOUND, "identity_required": None}, None) == {}
    assert holder_binding({"id": "other"}, ANNA) == {}  # anonymous services bind nobody


def test_a_bound_hold_is_confirmed_by_its_holder_under_the_sign_in_name():
    held = {"subject": ANNA["subject"], "identity_required": "substantial"}
    assert bound_contact(held, TYPED, ANNA["subject"], "substantial", "Anna Schmidt") == {
        "name": "Anna Schmidt", "email": "buyer@example.org", "language": "de"}
    with pytest.raises(NotTransferable):
        bound_contact(held, TYPED, BEN["subject"], "high", "Ben Weber")
    with pytest.raises(IdentityRequired):
        bound_contact(held, TYPED, None, None, None)
    with pytest.raises(IdentityRequired):  # a sign-in without a name cannot be matched
        bound_contact(held, TYPED, ANNA["subject"], "substantial", " ")


def test_only_its_person_moves_or_cancels_a_bound_booking():
    booking = {"subject": ANNA["subject"], "identity_required": "substantial"}
    check_same_person(booking, ANNA)
    check_same_person({"subject": None}, None)  # an anonymous booking: the link is enough
    with pytest.raises(IdentityRequired):
        check_same_person(booking, None)
    with pytest.raises(NotTransferable):
        check_same_person(booking, BEN)
    with pytest.raises(TrustLevelTooLow):
        check_same_person(booking, {**ANNA, "trust_level": "low"})


@pytest.fixture
def desk(database):
    ensure_desk_indexes(database)
    ensure_ledger_indexes(database)
    return BookingDesk(database, TENANT, DeskSettings(), now=Clock(NOW))


@pytest.mark.integration
def test_a_bound_booking_carries_the_person_keeps_them_when_moved_and_counts_per_person(desk):
    held = desk.hold(OFFICE, BOUND, SLOT, "client-a", None,
                     binding=holder_binding(BOUND, ANNA))
    with pytest.raises(NotTransferable):
        desk.confirm(held["id"], TYPED, lambda service_id: 1, BEN["subject"],
                     {"trust_level": "high", "name": "Ben Weber"})
    booking, _ = desk.confirm(held["id"], TYPED, lambda service_id: 1, ANNA["subject"],
                              SIGNED_IN)
    assert booking["subject"] == ANNA["subject"]
    assert booking["identity_required"] == "substantial"
    assert desk.contact_of(booking)["name"] == "Anna Schmidt"

    moved = desk.reschedule(booking, OFFICE, BOUND, LATER)
    assert (moved["subject"], moved["identity_required"]) == (ANNA["subject"], "substantial")
    listed = CounterDesk(desk).day_list("rathaus", LATER.date())
    assert [(entry["name"], entry["identity_required"]) for entry in listed] == [
        ("Anna Schmidt", "substantial")]

    # Another email address buys Anna no second booking: the limit counts the person.
    again = desk.hold(OFFICE, BOUND, SLOT, "client-b", None,
                      binding=holder_binding(BOUND, ANNA))
    with pytest.raises(BookingLimitReached):
        desk.confirm(again["id"], {**TYPED, "email": "other@example.org"},
                     lambda service_id: 1, ANNA["subject"], SIGNED_IN)
