"""Holds, bookings, cancellation, rescheduling and the counter, against the real database."""
import threading
from datetime import UTC, datetime, timedelta

import pytest

from loket_appointments.booking_desk import BookingDesk, DeskSettings
from loket_appointments.counter_desk import CounterDesk
from loket_appointments.exceptions import (
    BookingLimitReached,
    ChallengeReused,
    HoldExpired,
    NotBookable,
    SlotTaken,
    TooManyHolds,
)
from loket_appointments.ledger import SlotLedger
from loket_common.errors import NotFound
from loket_common.testing import Clock

pytestmark = pytest.mark.integration

TENANT = "testtown"
OFFICE = {"id": "rathaus", "timezone": "Europe/Berlin", "service_ids": ["id-card"],
          "counters": [{"id": "c1", "service_ids": ["id-card"]},
                       {"id": "c2", "service_ids": ["id-card"]}],
          "opening_hours": {day: [["08:00", "12:00"]]
                            for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}}
SERVICE = {"id": "id-card", "duration_minutes": 15,
           "booking_policy": {"release_days_ahead": 14, "release_time": "00:00",
                              "min_lead_minutes": 0, "max_active_bookings_per_person": 1}}
NOW = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)  # 07:00 Berlin
SLOT = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)  # 08:00 Berlin, tomorrow
CONTACT = {"name": "Erika Mustermann", "email": "Erika@example.org", "language": "de"}


def one_each(service_id):
    return 1


@pytest.fixture
def clock():
    return Clock(NOW)


@pytest.fixture
def desk(database, clock):
    from loket_appointments.booking_desk import ensure_desk_indexes
    from loket_appointments.ledger import ensure_ledger_indexes

    ensure_desk_indexes(database)
    ensure_ledger_indexes(database)
    return BookingDesk(database, TENANT, DeskSettings(hold_seconds=300, holds_per_client=2),
                       now=clock)


def outbox_types(database):
    entries = database["outbox"].find(sort=[("created_at", 1)])
    return [entry["message"]["type"] for entry in entries]


def test_hold_confirm_cancel_frees_the_slot_at_once(desk, database):
    first = desk.hold(OFFICE, SERVICE, SLOT, "client-a", "challenge-1")
    second = desk.hold(OFFICE, SERVICE, SLOT, "client-b", "challenge-2")
    assert {first["counter_id"], second["counter_id"]} == {"c1", "c2"}
    with pytest.raises(SlotTaken):
        desk.hold(OFFICE, SERVICE, SLOT, "client-c", "challenge-3")
    booking, token = desk.confirm(first["id"], CONTACT, max_active=one_each)
    assert booking["state"] == "booked" and len(booking["reference"]) == 9
    assert desk.by_manage_token(booking["reference"].lower(), token)["id"] == first["id"]
    with pytest.raises(NotFound):
        desk.by_manage_token(booking["reference"], "guessed")
    desk.cancel(desk.by_manage_token(booking["reference"], token))
    again = desk.hold(OFFICE, SERVICE, SLOT, "client-c", "challenge-4")  # a failed try used 3
    assert again["counter_id"] == first["counter_id"]
    assert outbox_types(database) == ["appointment_booked", "appointment_cancelled"]
    booked_event = database["outbox"].find_one({"message.type": "appointment_booked"})
    assert "manage_token" not in booked_event["message"]["data"]  # sealed: test_sealed_tokens


def test_a_hold_expires_on_its_own_and_cannot_be_confirmed(desk, clock):
    held = desk.hold(OFFICE, SERVICE, SLOT, "client-a", None)
    desk.hold(OFFICE, SERVICE, SLOT, "client-b", None)
    assert desk.active_hold(held["id"])["start"] == SLOT
    clock.now = NOW + timedelta(seconds=301)
    with pytest.raises(NotFound):
        desk.active_hold(held["id"])
    assert desk.expire_holds() == 2
    with pytest.raises(HoldExpired):
        desk.confirm(held["id"], CONTACT, max_active=one_each)
    assert desk.hold(OFFICE, SERVICE, SLOT, "client-c", None)["state"] == "held"


def test_limits_holds_per_client_bookings_per_person_and_challenge_reuse(desk):
    desk.hold(OFFICE, SERVICE, SLOT, "client-a", "c-1")
    desk.hold(OFFICE, SERVICE, SLOT + timedelta(minutes=15), "client-a", "c-2")
    with pytest.raises(TooManyHolds):
        desk.hold(OFFICE, SERVICE, SLOT + timedelta(minutes=30), "client-a", "c-3")
    with pytest.raises(ChallengeReused):
        desk.hold(OFFICE, SERVICE, SLOT + timedelta(minutes=30), "client-b", "c-1")
    one = desk.hold(OFFICE, SERVICE, SLOT + timedelta(minutes=45), "client-b", "c-4")
    two = desk.hold(OFFICE, SERVICE, SLOT + timedelta(minutes=60), "client-c", "c-5")
    desk.confirm(one["id"], CONTACT, max_active=one_each)
    with pytest.raises(BookingLimitReached):
        desk.confirm(two["id"], {**CONTACT, "email": " erika@EXAMPLE.org"}, max_active=one_each)
    assert desk.bookings.find_one({"id": two["id"]})["state"] == "held"  # rolled back


def test_a_slot_outside_hours_or_the_release_horizon_cannot_be_held(desk):
    with pytest.raises(SlotTaken):
        desk.hold(OFFICE, SERVICE, SLOT + timedelta(minutes=5), "client-a", None)
    with pytest.raises(SlotTaken):
        desk.hold(OFFICE, SERVICE, SLOT + timedelta(days=30), "client-a", None)


def test_reschedule_takes_the_new_slot_before_freeing_the_old(desk, database):
    held = desk.hold(OFFICE, SERVICE, SLOT, "client-a", None)
    booking, token = desk.confirm(held["id"], CONTACT, max_active=one_each)
    later = SLOT + timedelta(hours=1)
    moved = desk.reschedule(desk.by_manage_token(booking["reference"], token), OFFICE, SERVICE,
                            later)
    assert moved["start"] == later
    occupied = SlotLedger(database, TENANT).occupied("rathaus", [later.date()])
    assert sum(len(units) for units in occupied.values()) == 3  # only the new slot
    with pytest.raises(NotBookable):
        desk.reschedule(booking, OFFICE, SERVICE, SLOT)  # stale copy: already moved
    assert outbox_types(database)[-1] == "appointment_rescheduled"


def test_reminders_are_emitted_once(desk, database, clock):
    held = desk.hold(OFFICE, SERVICE, SLOT, "client-a", None)
    desk.confirm(held["id"], CONTACT, max_active=one_each)
    assert desk.emit_due_reminders() == 0
    clock.now = SLOT - timedelta(hours=23)
    assert desk.emit_due_reminders() == 1
    assert desk.emit_due_reminders() == 0
    assert outbox_types(database).count("appointment_reminder_due") == 1


def test_counter_day_list_check_in_call_and_no_show(desk, database):
    counter = CounterDesk(desk)
    held = desk.hold(OFFICE, SERVICE, SLOT, "client-a", None)
    booking, _ = desk.confirm(held["id"], CONTACT, max_active=one_each)
    walk_in = counter.walk_in(OFFICE, SERVICE, SLOT + timedelta(minutes=15), "Max")
    day = SLOT.date()
    assert [entry["reference"] for entry in counter.day_list("rathaus", day)] == [
        booking["reference"], walk_in["reference"]]
    counter.check_in(booking["reference"])
    with pytest.raises(NotBookable):
        counter.check_in(booking["reference"])
    called = counter.call_next(OFFICE, "c2")
    assert called["reference"] == booking["reference"] and called["called_to"] == "c2"
    assert counter.call_next(OFFICE, "c2") is None
    counter.no_show(walk_in["reference"])
    assert outbox_types(database) == ["appointment_booked", "appointment_booked",
                                      "appointment_checked_in", "appointment_no_show"]


def test_cancelled_checked_in_and_no_show_carry_the_bookings_channel_and_service(
        desk, database):
    """What the statistics count them by (appointments:<service_id>, channel)."""
    counter = CounterDesk(desk)
    online, _ = desk.confirm(desk.hold(OFFICE, SERVICE, SLOT, "client-a", None)["id"],
                             CONTACT, max_active=one_each)
    second, _ = desk.confirm(
        desk.hold(OFFICE, SERVICE, SLOT + timedelta(minutes=15), "client-b", None)["id"],
        {**CONTACT, "email": "max@example.org"}, max_active=one_each)
    walk_in = counter.walk_in(OFFICE, SERVICE, SLOT + timedelta(minutes=30), "Max")
    desk.cancel(online)
    counter.no_show(second["reference"])
    counter.check_in(walk_in["reference"])
    told = {entry["message"]["type"]: entry["message"]["data"]
            for entry in database["outbox"].find({"message.type": {"$in": [
                "appointment_cancelled", "appointment_no_show", "appointment_checked_in"]}})}
    assert {kind: (data["channel"], data["service_id"]) for kind, data in told.items()} == {
        "appointment_cancelled": ("online", "id-card"),
        "appointment_no_show": ("online", "id-card"),
        "appointment_checked_in": ("counter", "id-card")}


def test_concurrent_holds_never_sell_a_unit_twice(desk, database):
    winners, losers = [], []

    def try_hold(n):
        try:
            winners.append(desk.hold(OFFICE, SERVICE, SLOT, f"client-{n}", f"ch-{n}"))
        except SlotTaken:
            losers.append(n)

    threads = [threading.Thread(target=try_hold, args=(n,)) for n in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(winners) == 2 and len(losers) == 28
    days = database["counter_days"].find({"tenant": TENANT})
    for day in days:
        assert len(day["units"]) == len(set(day["units"]))
