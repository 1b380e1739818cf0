"""A resident books through the gateway; concurrent clients never get the same slot."""
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
import requests
from pymongo import MongoClient

from .booking_client import CONTACT, address, api, hold, solved

pytestmark = pytest.mark.e2e


def test_resident_finds_books_downloads_reschedules_and_cancels(system):
    first = api(system, "GET", "/slots/first", params={"service_id": "id-card"}).json()
    held = hold(system, first)
    assert held.status_code == 201, held.text
    confirmed = api(system, "POST", f"/holds/{held.json()['hold_id']}/confirmation",
                    json=CONTACT)
    assert confirmed.status_code == 201, confirmed.text
    reference = confirmed.json()["booking"]["reference"]
    secret = {"X-Manage-Token": confirmed.json()["manage_token"]}
    opened = requests.get(confirmed.json()["manage_url"], timeout=10)  # the manage page
    assert opened.status_code == 200 and reference in opened.text
    assert "/en/appointments/bookings/" in confirmed.json()["manage_url"]  # CONTACT's language
    assert api(system, "GET", f"/bookings/{reference}",
               headers=secret).json()["reference"] == reference
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
    staff = {"Authorization": f"Bearer {system.token_for('clara')}"}  # counter staff
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
    assert hold(system, {"service_id": "id-card", "office_id": "nord",
                         "start": "not a time"}).status_code == 400
    taken = hold(system, {"service_id": "id-card", "office_id": "nord",
                          "start": f"{date.today().year + 5}-01-04T08:00:00+01:00"})
    assert taken.status_code == 409 and taken.json()["code"] == "slot_taken"


def test_concurrent_clients_never_get_the_same_slot(system):
    slots = api(system, "GET", "/slots", params={"service_id": "id-card",
                                                 "office_id": "nord"}).json()
    contested = slots[10:13]  # 3 slots of an office with one counter
    attempts = [slot for slot in contested for _ in range(20)]
    # Every client solves its proof of work first, as a bot would before the release.
    proofs = [solved(system, address(n)) for n in range(len(attempts))]
    with ThreadPoolExecutor(max_workers=30) as pool:
        responses = list(pool.map(lambda n: hold(system, attempts[n], address(n), proofs[n]),
                                  range(len(attempts))))
    statuses = [response.status_code for response in responses]
    assert statuses.count(201) == len(contested)
    assert statuses.count(409) == len(attempts) - len(contested)
    client = MongoClient(system.mongo_uri)
    for day in client["loket_appointments"]["counter_days"].find({"tenant": "musterstadt"}):
        assert len(day["units"]) == len(set(day["units"])), "a unit was sold twice"
    client.close()


def test_a_hold_needs_a_fresh_proof_of_work(system):
    slot = api(system, "GET", "/slots", params={"service_id": "id-card"}).json()[40]
    body = {key: slot[key] for key in ("service_id", "office_id", "start")}
    missing = api(system, "POST", "/holds", json=body)
    assert missing.status_code == 403 and missing.json()["code"] == "proof_of_work_failed"
    wrong = api(system, "POST", "/holds", json={**body, "pow_solution": "bm90IGEgc29sdXRpb24="})
    assert wrong.status_code == 403 and wrong.json()["code"] == "proof_of_work_failed"
    proof = solved(system)
    held = hold(system, slot, proof=proof)
    assert held.status_code == 201, held.text
    api(system, "DELETE", f"/holds/{held.json()['hold_id']}")
    replayed = hold(system, slot, proof=proof)
    assert replayed.status_code == 403 and replayed.json()["code"] == "proof_of_work_reused"
    # the no-JavaScript path: the token alone is refused until its wait is over
    issued = api(system, "POST", "/challenges").json()
    early = api(system, "POST", "/holds", json={**body, "pow_token": issued["token"]})
    assert early.status_code == 403 and early.json()["wait_seconds"] >= 1


def test_searches_beyond_the_limit_get_429_with_retry_after(system):
    client = address(60_000)  # its own address: other tests' searches do not count
    statuses = [api(system, "GET", "/slots/first", client=client,
                    params={"service_id": "id-card"}).status_code for _ in range(61)]
    assert statuses[:60] == [200] * 60
    assert statuses[60] == 429
    limited = api(system, "GET", "/slots", client=client, params={"service_id": "id-card"})
    assert limited.status_code == 429
    assert limited.headers["Content-Type"] == "application/problem+json"
    assert limited.json()["code"] == "rate_limited"
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    # another address is not affected
    assert api(system, "GET", "/slots/first", client=address(60_001),
               params={"service_id": "id-card"}).status_code == 200


def test_one_person_gets_at_most_five_booking_attempts_an_hour(system):
    slots = api(system, "GET", "/slots", params={"service_id": "good-conduct"}).json()[:6]
    holds = [hold(system, slot, address(62_000 + n)).json()["hold_id"]
             for n, slot in enumerate(slots)]
    person = {**CONTACT, "email": "someone.busy@example.org"}
    statuses = [api(system, "POST", f"/holds/{hold_id}/confirmation", client=address(62_100 + n),
                    json=person).status_code for n, hold_id in enumerate(holds)]
    # one booking per service, then refusals, and from the sixth attempt on: 429
    assert statuses == [201, 409, 409, 409, 409, 429]
