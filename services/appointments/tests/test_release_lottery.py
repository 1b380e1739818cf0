"""Lottery entries and the draw, against the real database."""
import os
import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from loket_appointments.booking_desk import BookingDesk
from loket_appointments.dependencies import AppointmentsStore
from loket_appointments.exceptions import AlreadyEntered, LotteryNotOpen, SlotTaken
from loket_appointments.release_lottery import LEASE, ReleaseLottery
from loket_common.errors import NotFound
from loket_common.sealing import NOTIFICATIONS_PRIVATE_KEY_VARIABLE, open_sealed
from loket_common.testing import Clock

pytestmark = pytest.mark.integration

TENANT = "testtown"
BERLIN = ZoneInfo("Europe/Berlin")
DAY = date(2026, 12, 7)  # released on 23 Nov at 07:00, 14 days ahead
OPEN = datetime(2026, 11, 23, 7, 30, tzinfo=BERLIN)
DRAWN = datetime(2026, 11, 23, 8, 0, tzinfo=BERLIN)
HOURS = {day: [["08:00", "09:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
OFFICES = [
    {"id": "rathaus", "timezone": "Europe/Berlin", "service_ids": ["passport", "id-card"],
     "counters": [{"id": "c1", "service_ids": ["passport", "id-card"]},
                  {"id": "c2", "service_ids": ["passport"]}], "opening_hours": HOURS},
    {"id": "nord", "timezone": "Europe/Berlin", "service_ids": ["passport"],
     "counters": [{"id": "c1", "service_ids": ["passport"]}], "opening_hours": {}},
]
POLICY = {"release_days_ahead": 14, "release_time": "07:00", "min_lead_minutes": 0,
          "max_active_bookings_per_person": 1}
PASSPORT = {"id": "passport", "duration_minutes": 20,
            "booking_policy": {**POLICY, "release_mode": "lottery",
                               "lottery_window_minutes": 60}}
ID_CARD = {"id": "id-card", "duration_minutes": 15, "booking_policy": POLICY}
CAPACITY = 6  # 08:00, 08:20, 08:40 at two counters


@pytest.fixture
def clock():
    return Clock(OPEN)


@pytest.fixture
def store(database):
    store = AppointmentsStore(database)
    store.ensure_indexes()
    for service in (PASSPORT, ID_CARD):
        store.put_service(TENANT, service)
    for office in OFFICES:
        store.put_office(TENANT, office)
    return store


@pytest.fixture
def lottery(store, clock):
    return new_lottery(store, clock)


def new_lottery(store, clock):
    return ReleaseLottery(BookingDesk(store.database, TENANT, store.settings, now=clock), store)


def contact(n):
    return {"name": f"Person {n}", "email": f"person{n}@example.org", "language": "en"}


def enter(lottery, n, office_id=None):
    return lottery.enter(PASSPORT, OFFICES[0], office_id, contact(n))


def outbox(database, event_type):
    return [entry["message"]["data"] for entry in
            database["outbox"].find({"message.type": event_type})]


def opened(sealed):
    """What the notifications service reads in a sealed token."""
    return open_sealed(os.environ[NOTIFICATIONS_PRIVATE_KEY_VARIABLE], sealed)


def test_an_entry_is_taken_once_per_person_and_opened_by_its_token(lottery, database, clock):
    entry, token = enter(lottery, 1)
    assert entry["state"] == "pending" and entry["day"] == DAY.isoformat()
    assert lottery.by_status_token(entry["reference"].lower(), token)["id"] == entry["id"]
    with pytest.raises(NotFound):
        lottery.by_status_token(entry["reference"], "guessed")
    with pytest.raises(AlreadyEntered):
        lottery.enter(PASSPORT, OFFICES[0], "rathaus",
                      {**contact(1), "email": " PERSON1@example.org"})
    entered = outbox(database, "appointment_lottery_entered")
    assert len(entered) == 1 and "status_token" not in entered[0]
    assert opened(entered[0]["sealed_status_token"]) == token  # for the email, sealed
    assert "recipient" not in entered[0]  # events carry no names or emails
    stored = str(database["lottery_entries"].find_one())
    assert token not in stored  # only its hash
    assert "Person 1" not in stored and "person1@example.org" not in stored  # encrypted
    assert lottery.desk.contact_of(database["lottery_entries"].find_one())["name"] == "Person 1"
    clock.now = DRAWN
    with pytest.raises(LotteryNotOpen):
        enter(lottery, 2)
    with pytest.raises(LotteryNotOpen):  # a first-come service has no lottery
        lottery.enter(ID_CARD, OFFICES[0], None, contact(3))


def test_the_draw_allocates_each_slot_once_and_tells_everyone(lottery, database, clock):
    for n in range(10):
        enter(lottery, n)
    assert lottery.undrawn_days(PASSPORT) == {DAY}
    assert lottery.run_due_draws() == 0  # the window is still open
    clock.now = DRAWN
    with pytest.raises(SlotTaken):  # window over but not drawn yet: not first come
        lottery.desk.hold(OFFICES[0], PASSPORT, datetime.combine(DAY, datetime.min.time(),
                          BERLIN).replace(hour=8), "client", None, lottery.undrawn_days(PASSPORT))
    assert lottery.run_due_draws() == 1
    states = [entry["state"] for entry in database["lottery_entries"].find()]
    assert states.count("allocated") == CAPACITY and states.count("not_allocated") == 4
    for day in database["counter_days"].find():
        assert len(day["units"]) == len(set(day["units"])), "a unit was sold twice"
    assert database["bookings"].count_documents({"state": "booked"}) == CAPACITY
    results = outbox(database, "appointment_lottery_result")
    assert len(results) == 10
    won = [result for result in results if result["result"] == "allocated"]
    booked = outbox(database, "appointment_booked")
    assert {opened(result["booking"]["sealed_manage_token"]) for result in won} == {
        opened(event["sealed_manage_token"]) for event in booked}
    assert all("manage_token" not in event for event in booked)
    assert all(result["booking"]["reference"] and "recipient" not in result
               for result in won)
    audit = database["lottery_draws"].find_one()
    assert (audit["state"], audit["entries"], audit["capacity"], audit["allocated"],
            audit["not_allocated"]) == ("done", 10, CAPACITY, CAPACITY, 4)
    assert lottery.undrawn_days(PASSPORT) == set()
    assert lottery.run_due_draws() == 0 and lottery.draw("passport", DAY) is None  # once
    assert len(outbox(database, "appointment_lottery_result")) == 10


def test_concurrent_drawers_draw_once(store, database, clock):
    lottery = new_lottery(store, clock)
    for n in range(9):
        enter(lottery, n)
    clock.now = DRAWN
    results = []
    threads = [threading.Thread(target=lambda: results.append(
        new_lottery(store, clock).draw("passport", DAY))) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(result is not None for result in results) == 1
    assert database["bookings"].count_documents({}) == CAPACITY
    assert len(outbox(database, "appointment_lottery_result")) == 9


def test_preferences_and_the_booking_limit_are_respected(lottery, database, clock):
    desk = lottery.desk
    earlier = datetime(2026, 11, 24, 8, 0, tzinfo=BERLIN)  # first come, released already
    held = desk.hold(OFFICES[0], PASSPORT, earlier, "client", None)
    desk.confirm(held["id"], contact(1), max_active=lambda service_id: 1)
    enter(lottery, 1)  # has a passport appointment already
    enter(lottery, 2, office_id="nord")  # nord is closed that day
    anywhere, token = enter(lottery, 3)
    clock.now = DRAWN
    lottery.run_due_draws()
    entries = {desk.contact_of(entry)["name"]: entry
               for entry in database["lottery_entries"].find()}
    assert entries["Person 1"]["reason"] == "booking_limit_reached"
    assert entries["Person 2"]["reason"] == "no_slot_left"
    won = lottery.by_status_token(anywhere["reference"], token)
    assert won["state"] == "allocated" and won["booking"]["office_id"] == "rathaus"
    occupied = desk.ledger.occupied("rathaus", [DAY])
    assert sum(len(units) for units in occupied.values()) == 4  # only person 3's claim


def test_a_vanished_drawer_is_taken_over_with_the_same_order(lottery, database, clock):
    for n in range(3):
        enter(lottery, n)
    clock.now = DRAWN
    key = {"service_id": "passport", "day": DAY.isoformat()}
    first = lottery._claim_draw(key)
    order = lottery._shuffle(key, PASSPORT, OFFICES, DAY)["order"]
    assert first is not None and sorted(order) == sorted(
        entry["id"] for entry in database["lottery_entries"].find())
    assert lottery.draw("passport", DAY) is None  # its lease still runs
    start = datetime(2026, 12, 7, 8, 0, tzinfo=BERLIN)
    lottery.desk.claim_slot(OFFICES[0], PASSPORT, start, clock.now, claim_id=order[0])
    clock.now = DRAWN + LEASE + timedelta(seconds=1)  # it vanished after claiming for one
    done = lottery.draw("passport", DAY)
    assert done["order"] == order and done["allocated"] == 3
    occupied = lottery.desk.ledger.occupied("rathaus", [DAY])
    assert sum(len(units) for units in occupied.values()) == 3 * 4  # its claim was freed
