"""A resident books through the gateway; concurrent clients never get the same slot."""
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
import requests
from pymongo import MongoClient

pytestmark = pytest.mark.e2e

API = "/api/v1/tenants/musterstadt"
CONTACT = {"name": "Erika Mustermann", "email": "erika@example.org", "language": "en"}


def api(system, method, path, **kwargs):
    return requests.request(method, system.url + API + path, timeout=30, **kwargs)


def hold(system, slot):
    return api(system, "POST", "/holds", json={key: slot[key] for key in
                                              ("service_id", "office_id", "start")})


def test_resident_finds_books_downloads_reschedules_and_cancels(system):
    first = api(system, "GET", "/slots/first", params={"service_id": "id-card"}).json()
    held = hold(system, first)
    assert held.status_code == 201, held.text
    confirmed = api(system, "POST", f"/holds/{held.json()['hold_id']}/confirmation",
                    json=CONTACT)
    assert confirmed.status_code == 201, confirmed.text
    reference = confirmed.json()["booking"]["reference"]
    secret = {"X-Manage-Token": confirmed.json()["manage_token"]}
    opened = requests.get(confirmed.json()["manage_url"], timeout=10)
    assert opened.status_code == 200 and opened.json()["reference"] == reference
    ics = requests.get(confirmed.json()["calendar_url"], timeout=10)
    assert ics.headers["Content-Type"].startswith("text/calendar")
    assert f"UID:{reference}@musterstadt.loket" in ics.text
    assert f"/bookings/{reference}?token=" in ics.text.replace("\r\n ", "")
    assert api(system, "GET", f"/bookings/{reference}").status_code == 401
    assert api(system, "GET", f"/bookings/{reference}",
               headers={"X-Manage-Token": "guess"}).status_code == 404
    later = api(system, "GET", "/slots", params={"service_id": "id-card",
                                                 "office_id": first["office_id"]}).json()[5]
    moved = api(system, "POST", f"/bookings/{reference}/reschedule", headers=secret,
                json={"office_id": later["office_id"], "start": later["start"]})
    assert moved.status_code == 200, moved.text
    staff = {"Authorization": f"Bearer {system.staff_token}"}
    day = later["start"][:10]
    listed = api(system, "GET", f"/offices/{later['office_id']}/day-list",
                 params={"date": day}, headers=staff).json()
    assert reference in [entry["reference"] for entry in listed]
    assert api(system, "GET", f"/offices/{later['office_id']}/day-list",
               params={"date": day}).status_code == 401
    cancelled = api(system, "DELETE", f"/bookings/{reference}", headers=secret)
    assert cancelled.json()["state"] == "cancelled"
    # the freed slot is offered again at once
    again = api(system, "GET", "/slots", params={"service_id": "id-card",
                                                 "office_id": later["office_id"],
                                                 "date_from": day, "date_to": day}).json()
    assert later["start"] in [slot["start"] for slot in again]


def test_bad_requests_get_problems_not_errors(system):
    assert api(system, "GET", "/slots", params={"service_id": "NOPE!"}).status_code == 400
    assert api(system, "GET", "/slots", params={"service_id": "unknown"}).status_code == 404
    assert api(system, "POST", "/holds", json={"service_id": "id-card", "office_id": "nord",
                                               "start": "not a time"}).status_code == 400
    taken = api(system, "POST", "/holds", json={"service_id": "id-card", "office_id": "nord",
                                                "start": f"{date.today().year + 5}-01-04"
                                                         "T08:00:00+01:00"})
    assert taken.status_code == 409 and taken.json()["code"] == "slot_taken"


def test_concurrent_clients_never_get_the_same_slot(system):
    slots = api(system, "GET", "/slots", params={"service_id": "id-card",
                                                 "office_id": "nord"}).json()
    contested = slots[10:13]  # 3 slots of an office with one counter
    attempts = [slot for slot in contested for _ in range(20)]
    with ThreadPoolExecutor(max_workers=30) as pool:
        responses = list(pool.map(lambda slot: hold(system, slot), attempts))
    statuses = [response.status_code for response in responses]
    assert statuses.count(201) == len(contested)
    assert statuses.count(409) == len(attempts) - len(contested)
    client = MongoClient(system.mongo_uri)
    for day in client["loket_appointments"]["counter_days"].find({"tenant": "musterstadt"}):
        assert len(day["units"]) == len(set(day["units"])), "a unit was sold twice"
    client.close()
