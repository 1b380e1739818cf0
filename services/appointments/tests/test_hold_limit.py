"""The per-client hold limit under concurrency, and after release, expiry and confirmation."""
import threading
from datetime import UTC, datetime, timedelta

import pytest

from loket_appointments.booking_desk import BookingDesk, DeskSettings, ensure_desk_indexes
from loket_appointments.exceptions import TooManyHolds
from loket_appointments.ledger import ensure_ledger_indexes
from loket_common.testing import Clock

pytestmark = pytest.mark.integration

TENANT = "testtown"
LIMIT = 3
OFFICE = {"id": "rathaus", "timezone": "Europe/Berlin", "service_ids": ["id-card"],
          "counters": [{"id": "c1", "service_ids": ["id-card"]},
                       {"id": "c2", "service_ids": ["id-card"]}],
          "opening_hours": {day: [["08:00", "12:00"]]
                            for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}}
SERVICE = {"id": "id-card", "duration_minutes": 15,
           "booking_policy": {"release_days_ahead": 14, "release_time": "00:00",
                              "min_lead_minutes": 0, "max_active_bookings_per_person": 9}}
NOW = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)  # 07:00 Berlin
SLOTS = [datetime(2026, 11, 24, 7, 0, tzinfo=UTC) + timedelta(minutes=15 * n)
         for n in range(16)]  # tomorrow 08:00-12:00 Berlin, two counters each
CONTACT = {"name": "Erika Mustermann", "email": "erika@example.org", "language": "de"}


@pytest.fixture
def clock():
    return Clock(NOW)


@pytest.fixture
def desk(database, clock):
    ensure_desk_indexes(database)
    ensure_ledger_indexes(database)
    return BookingDesk(database, TENANT, DeskSettings(hold_seconds=300, holds_per_client=LIMIT),
                       now=clock)


def hold_concurrently(desk, client_key, slots):
    """Hold every slot at once, one thread each; the holds that succeeded."""
    held, refused = [], []

    def try_hold(start):
        try:
            held.append(desk.hold(OFFICE, SERVICE, start, client_key, None))
        except TooManyHolds:
            refused.append(start)

    threads = [threading.Thread(target=try_hold, args=(start,)) for start in slots]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(held) + len(refused) == len(slots)  # no other error
    return held


def live_holds(desk, client_key):
    return desk.bookings.count({"client_key": client_key, "state": "held",
                                "expires_at": {"$gt": desk.now()}})


def test_concurrent_holds_of_one_client_stop_exactly_at_the_limit(desk):
    for _round in range(4):  # released in between: the limit is whole again each round
        held = hold_concurrently(desk, "client-a", SLOTS[:10])
        assert len(held) == LIMIT
        assert live_holds(desk, "client-a") == LIMIT
        for booking in held:
            desk.release_hold(booking["id"])
        assert live_holds(desk, "client-a") == 0


def test_released_expired_and_confirmed_holds_give_their_place_back(desk, clock):
    first = [desk.hold(OFFICE, SERVICE, start, "client-a", None) for start in SLOTS[:LIMIT]]
    with pytest.raises(TooManyHolds):
        desk.hold(OFFICE, SERVICE, SLOTS[LIMIT], "client-a", None)
    desk.release_hold(first[0]["id"])
    desk.release_hold(first[0]["id"])  # twice: gives back only one place
    desk.confirm(first[1]["id"], CONTACT, max_active=lambda service_id: 9)
    again = [desk.hold(OFFICE, SERVICE, start, "client-a", None)
             for start in SLOTS[LIMIT:LIMIT + 2]]
    with pytest.raises(TooManyHolds):
        desk.hold(OFFICE, SERVICE, SLOTS[LIMIT + 2], "client-a", None)

    clock.now = NOW + timedelta(seconds=301)  # the three live holds ran out
    assert len(hold_concurrently(desk, "client-a", SLOTS[8:14])) == LIMIT  # before any sweep
    assert desk.expire_holds() == LIMIT
    clock.now = NOW + timedelta(seconds=602)
    assert desk.expire_holds() == LIMIT  # the sweep ends them: their places are free again
    assert len(hold_concurrently(desk, "client-a", SLOTS[:1] + SLOTS[3:8])) == LIMIT
    assert {booking["state"] for booking in desk.bookings.find(
        {"id": {"$in": [booking["id"] for booking in first[2:] + again]}})} == {"expired"}

def test_other_clients_and_tenants_have_their_own_limit(desk, database):
    hold_concurrently(desk, "client-a", SLOTS[:4])
    assert len(hold_concurrently(desk, "client-b", SLOTS[4:8])) == LIMIT
    other = BookingDesk(database, "othertown", desk.settings, now=desk.now)
    assert len(hold_concurrently(other, "client-a", SLOTS[:4])) == LIMIT
