"""The residents' own-data API (``/me``) through the whole system, with real sign-in tokens.

Demo users of the development identity provider: anna (musterstadt, substantial), ben
(musterstadt, low), dora (musterstadt, high), chris (beispielstadt), david (case worker).
Dora's data is erased here, so the other tests keep anna's.
"""
import json
import time

import pytest
import requests

from .booking_client import address, api, hold

pytestmark = pytest.mark.e2e

ME_ROUTES = [("GET", "/me"), ("PATCH", "/me"), ("GET", "/me/businesses"),
             ("POST", "/me/businesses"), ("PUT", "/me/businesses/{business_id}"),
             ("GET", "/me/consents"), ("PUT", "/me/consents/{purpose}"),
             ("DELETE", "/me/consents/{purpose}"), ("GET", "/me/access-log"),
             ("GET", "/me/appointments"), ("GET", "/me/export"), ("POST", "/me/erasure"),
             ("GET", "/me/erasure"), ("GET", "/me/messages")]
BODIES = {"PATCH": {"phone": "+49 30 1234567"}, "POST": {"company_name": "Probe GmbH"},
          "PUT": {"company_name": "Probe GmbH"}}


def bearer(system, username, **kwargs) -> dict:
    return {"Authorization": f"Bearer {system.token_for(username, **kwargs)}"}


def concrete(path: str) -> str:
    return path.replace("{business_id}", "b-unknown").replace(
        "{purpose}", "appointment_reminders")


def call(system, method, path, headers, tenant="musterstadt", **kwargs):
    return requests.request(method, f"{system.url}/api/v1/tenants/{tenant}{concrete(path)}",
                            headers=headers, timeout=30, **kwargs)


def test_every_me_route_of_the_openapi_document_is_probed_here(system):
    paths = requests.get(system.url + "/openapi.json", timeout=10).json()["paths"]
    documented = {(method.upper(), path.removeprefix("/api/v1/tenants/{tenant}"))
                  for path, operations in paths.items()
                  if path.startswith("/api/v1/tenants/{tenant}/me")
                  for method in operations if method != "parameters"}  # the path's, not a route
    assert documented == set(ME_ROUTES)


@pytest.mark.parametrize(("method", "path"), ME_ROUTES)
def test_without_a_token_every_me_route_is_401(system, method, path):
    response = call(system, method, path, {}, json=BODIES.get(method))
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(("method", "path"), ME_ROUTES)
def test_staff_tokens_open_no_residents_data(system, method, path):
    response = call(system, method, path, bearer(system, "david"), json=BODIES.get(method))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


@pytest.mark.parametrize(("method", "path"), ME_ROUTES)
def test_another_municipalitys_resident_gets_nothing_here(system, method, path):
    chris = bearer(system, "chris")  # beispielstadt: known, but not allowed here
    response = call(system, method, path, chris, json=BODIES.get(method))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    anna_there = call(system, method, path, bearer(system, "anna"), tenant="beispielstadt",
                      json=BODIES.get(method))
    assert anna_there.status_code == 403
    unknown = call(system, method, path, bearer(system, "anna"), tenant="atlantis",
                   json=BODIES.get(method))
    assert unknown.status_code == 404


def test_anna_reads_and_changes_her_profile(system):
    anna = bearer(system, "anna")
    mine = call(system, "GET", "/me", anna)
    assert mine.status_code == 200, mine.text
    assert (mine.json()["given_name"], mine.json()["family_name"]) == ("Anna", "Schmidt")
    assert mine.json()["subject"].startswith("r-")
    changed = call(system, "PATCH", "/me", anna, json={
        "phone": "+49 30 555 0101", "notification_channel": "post",
        "address": {"street": "Lindenweg", "house_number": "7", "postal_code": "12345",
                    "city": "Musterstadt"}})
    assert changed.status_code == 200, changed.text
    again = call(system, "GET", "/me", anna).json()
    assert again["phone"] == "+49 30 555 0101"
    assert again["address"]["street"] == "Lindenweg" and again["address"]["country"] == "DE"
    bad = call(system, "PATCH", "/me", anna, json={"preferred_language": "fr",
                                                   "address": {"street": "X"}})
    assert bad.status_code == 400
    assert {p["name"] for p in bad.json()["invalid_params"]} >= {
        "preferred_language", "address.house_number"}


def test_businesses_are_only_their_representatives(system):
    dora, ben = bearer(system, "dora"), bearer(system, "ben")
    added = call(system, "POST", "/me/businesses", dora, json={
        "company_name": "Fischer Bau GmbH", "legal_form": "GmbH",
        "register_number": "HRB 4711"})
    assert added.status_code == 201, added.text
    business_id = added.json()["id"]
    assert business_id in [item["id"] for item in call(system, "GET", "/me/businesses",
                                                       dora).json()]
    saved = requests.put(f"{system.url}/api/v1/tenants/musterstadt/me/businesses/"
                         f"{business_id}", headers=dora, timeout=30,
                         json={"company_name": "Fischer Bau GmbH & Co. KG"})
    assert saved.status_code == 200 and saved.json()["company_name"].endswith("KG")
    assert business_id not in [item["id"] for item in call(system, "GET", "/me/businesses",
                                                           ben).json()]
    taken = requests.put(f"{system.url}/api/v1/tenants/musterstadt/me/businesses/"
                         f"{business_id}", headers=ben, timeout=30,
                         json={"company_name": "Mine now"})
    assert taken.status_code == 404
    assert taken.json()["code"] == "business_not_found"


def test_consents_are_given_and_withdrawn_with_their_times(system):
    ben = bearer(system, "ben")
    listed = call(system, "GET", "/me/consents", ben).json()
    assert {item["purpose"] for item in listed} >= {"appointment_reminders"}
    given = call(system, "PUT", "/me/consents/{purpose}", ben)
    assert given.status_code == 200 and given.json()["given"] is True
    assert given.json()["given_at"]
    withdrawn = call(system, "DELETE", "/me/consents/{purpose}", ben)
    assert withdrawn.json()["given"] is False and withdrawn.json()["withdrawn_at"]
    unknown = requests.put(f"{system.url}/api/v1/tenants/musterstadt/me/consents/marketing",
                           headers=ben, timeout=30)
    assert unknown.status_code == 400
    assert unknown.json()["code"] == "validation_failed"


def book_signed_in(system, headers, client) -> str:
    """Book the first free ID-card time as the token's resident; its reference."""
    first = api(system, "GET", "/slots/first", client=client,
                params={"service_id": "id-card"}).json()
    held = hold(system, first, client=client)
    assert held.status_code == 201, held.text
    confirmed = api(system, "POST", f"/holds/{held.json()['hold_id']}/confirmation",
                    client=client, headers=headers, json={
                        "name": "Dora Fischer", "email": "dora.fischer@example.org",
                        "language": "de"})
    assert confirmed.status_code == 201, confirmed.text
    return confirmed.json()["booking"]["reference"]


@pytest.fixture(scope="module")
def doras_booking(system) -> str:
    """Dora's booking, made signed in (one per person and service)."""
    return book_signed_in(system, bearer(system, "dora"), address(51001))


def test_bookings_made_signed_in_are_mine_and_nobody_elses(system, doras_booking):
    dora, ben = bearer(system, "dora"), bearer(system, "ben")
    reference = doras_booking
    assert reference in [item["reference"] for item in call(system, "GET", "/me/appointments",
                                                            dora).json()]
    assert reference not in [item["reference"] for item in call(
        system, "GET", "/me/appointments", ben).json()]
    forged = api(system, "POST", "/holds/whatever/confirmation", client=address(51002),
                 headers={"Authorization": "Bearer forged"},
                 json={"name": "X", "email": "x@example.org"})
    assert forged.status_code == 401


def test_the_export_is_one_file_with_every_services_part(system, doras_booking):
    dora, reference = bearer(system, "dora"), doras_booking
    assert call(system, "GET", "/me", dora).status_code == 200  # her first use: profile made
    response = call(system, "GET", "/me/export", dora)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Disposition"].startswith("attachment;")
    document = json.loads(response.content)
    assert document["tenant"] == "musterstadt" and document["subject"].startswith("r-")
    assert set(document["services"]) == {"profile", "appointments", "permits", "notifications"}
    assert document["services"]["profile"]["profile"]["family_name"] == "Fischer"
    assert reference in [item["reference"] for item in
                         document["services"]["appointments"]["bookings"]]
    assert "Fischer" not in json.dumps(call(system, "GET", "/me/export",
                                            bearer(system, "anna")).json())


def test_export_and_erasure_need_a_substantial_sign_in(system):
    ben = bearer(system, "ben")  # his means reach "low" only
    for method, path in (("GET", "/me/export"), ("POST", "/me/erasure")):
        response = call(system, method, path, ben)
        assert response.status_code == 403
        assert response.json()["code"] == "trust_level_too_low"
    assert call(system, "GET", "/me/erasure", ben).json()["code"] == "no_erasure_request"


def test_erasure_progresses_to_completed_and_leaves_nothing_readable(system, doras_booking):
    dora = bearer(system, "dora")
    assert call(system, "GET", "/me", dora).status_code == 200
    requested = call(system, "POST", "/me/erasure", dora)
    assert requested.status_code == 202, requested.text
    assert requested.json()["state"] in ("in_progress", "completed")
    assert set(requested.json()["services"]) == {"appointments", "notifications", "permits",
                                                 "profile"}
    deadline = time.monotonic() + 60
    while True:
        progress = call(system, "GET", "/me/erasure", dora).json()
        if progress["state"] == "completed" or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert progress["state"] == "completed", progress
    assert all(part["state"] == "done" for part in progress["services"].values())
    assert progress["completed_at"]
    assert call(system, "GET", "/me/appointments", dora).json() == []
    exported = json.loads(call(system, "GET", "/me/export", dora).content)["services"]
    assert exported["appointments"]["bookings"] == []
    assert exported["profile"]["businesses"] == []


def test_ben_never_sees_annas_data(system):
    anna, ben = bearer(system, "anna"), bearer(system, "ben")
    annas = call(system, "GET", "/me", anna).json()
    bens = call(system, "GET", "/me", ben).json()
    assert bens["family_name"] == "Weber" and bens["subject"] != annas["subject"]
    everything_of_ben = json.dumps([
        bens, call(system, "GET", "/me/businesses", ben).json(),
        call(system, "GET", "/me/consents", ben).json(),
        call(system, "GET", "/me/access-log", ben).json(),
        call(system, "GET", "/me/appointments", ben).json()])
    for annas_value in ("Schmidt", "anna.schmidt@example.org", annas["subject"]):
        assert annas_value not in everything_of_ben
