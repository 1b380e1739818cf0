"""Fair release over HTTP: residents enter during the window, the draw tells each of them."""
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests
from pymongo import MongoClient

from .booking_client import address
from .booking_client import api as client_api

pytestmark = pytest.mark.e2e

TEXT = {"de": "Test", "en": "Test"}
CLOSED = {"2026-12-24", "2026-12-25", "2026-12-26", "2026-12-31", "2027-01-01"}


def api(system, method, path, **kwargs):
    """The API as one client of its own (rate limits count per address)."""
    return client_api(system, method, path, client=address(50_000), **kwargs)


def released_weekday(release_date: date) -> int:
    """Days ahead so that the released day is a working day of the office Nord."""
    return next(n for n in range(7, 15) if (release_date + timedelta(days=n)).weekday() < 5
                and (release_date + timedelta(days=n)).isoformat() not in CLOSED)


@pytest.fixture
def lottery_service(system):
    """A scarce service (one 4-hour slot a day) at Nord whose lottery window is open now."""
    client = MongoClient(system.mongo_uri, tz_aware=True)
    database = client["loket_appointments"]
    service_id = f"e2e-lottery-{uuid.uuid4().hex[:6]}"
    released = datetime.now(ZoneInfo("Europe/Berlin")) - timedelta(minutes=1)
    database["services"].insert_one({
        "tenant": "musterstadt", "id": service_id, "name": TEXT, "description": TEXT,
        "duration_minutes": 240, "fee_cents": 0, "required_documents": [],
        "booking_policy": {"release_days_ahead": released_weekday(released.date()),
                           "release_time": released.strftime("%H:%M"),
                           "min_lead_minutes": 0, "max_active_bookings_per_person": 1,
                           "release_mode": "lottery", "lottery_window_minutes": 60}})
    counter = {"id": service_id, "name": TEXT, "service_ids": [service_id]}
    nord = {"tenant": "musterstadt", "id": "nord"}
    database["offices"].update_one(nord, {"$push": {"service_ids": service_id,
                                                    "counters": counter}})
    yield service_id, database
    database["offices"].update_one(nord, {"$pull": {"service_ids": service_id,
                                                    "counters": {"id": service_id}}})
    database["services"].delete_one({"tenant": "musterstadt", "id": service_id})
    client.close()


def test_entries_during_the_window_are_drawn_and_everyone_learns_the_result(
        system, lottery_service):
    service_id, database = lottery_service
    release = api(system, "GET", f"/services/{service_id}/release").json()
    assert (release["mode"], release["state"]) == ("lottery", "open"), release
    day = release["day"]
    assert api(system, "GET", "/slots", params={"service_id": service_id, "date_from": day,
                                                "date_to": day}).json() == []
    entered = []
    for n in range(3):
        response = api(system, "POST", "/lottery-entries", json={
            "service_id": service_id, "name": f"Person {n}", "email": f"p{n}@example.org",
            "language": "en"})
        assert response.status_code == 201, response.text
        entered.append(response.json())
    again = api(system, "POST", "/lottery-entries", json={
        "service_id": service_id, "office_id": "nord", "name": "Again",
        "email": "P0@example.org"})
    assert again.status_code == 409 and again.json()["code"] == "lottery_already_entered"
    assert requests.get(entered[0]["status_url"], timeout=10).json()["state"] == "pending"
    assert api(system, "POST", "/lottery-entries", json={
        "service_id": "id-card", "name": "X", "email": "x@example.org"}).json()["code"] == (
        "lottery_not_open")

    # End the window now instead of waiting an hour; the service timer then draws.
    database["services"].update_one({"tenant": "musterstadt", "id": service_id},
                                    {"$set": {"booking_policy.lottery_window_minutes": 1}})
    database["lottery_entries"].update_many(
        {"tenant": "musterstadt", "service_id": service_id},
        {"$set": {"draw_at": datetime.now(UTC) - timedelta(seconds=1)}})
    deadline = time.monotonic() + 40
    while True:
        results = [requests.get(entry["status_url"], timeout=10).json() for entry in entered]
        if all(result["state"] != "pending" for result in results):
            break
        assert time.monotonic() < deadline, results
        time.sleep(0.5)
    assert sorted(result["state"] for result in results) == [
        "allocated", "not_allocated", "not_allocated"]
    won = next(result for result in results if result["state"] == "allocated")
    assert won["booking"]["start"].startswith(day)
    staff = {"Authorization": f"Bearer {system.token_for('clara')}"}  # counter staff
    listed = api(system, "GET", "/offices/nord/day-list", params={"date": day},
                 headers=staff).json()
    assert won["booking"]["reference"] in [entry["reference"] for entry in listed]
    assert api(system, "GET", f"/services/{service_id}/release").json()["state"] == "drawn"
