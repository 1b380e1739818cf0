"""A tenant admin maintains the catalogue over HTTP; residents see the change at once."""
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from .booking_client import address, hold
from .booking_client import api as client_api

pytestmark = pytest.mark.e2e

TEXT = {"de": "Beispiel", "en": "Example"}
SERVICE = {"name": TEXT, "description": TEXT, "duration_minutes": 30, "fee_cents": 1000,
           "required_documents": [TEXT],
           "booking_policy": {"release_days_ahead": 7, "release_time": "00:00",
                              "min_lead_minutes": 0}}
EVERY_DAY = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def api(system, method, path, token=None, headers=None, **kwargs):
    """The API as one client of its own, with a staff token if given."""
    headers = dict(headers or {})
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return client_api(system, method, path, client=address(40_000), headers=headers, **kwargs)


def office_body(service_id, hours=("08:00", "18:00")):
    return {"name": TEXT, "address": {"street": "Teststr. 1", "postal_code": "1", "city": "X"},
            "accessibility": TEXT, "timezone": "Europe/Berlin", "service_ids": [service_id],
            "counters": [{"id": "c1", "name": TEXT, "service_ids": [service_id]}],
            "opening_hours": {day: [list(hours)] for day in EVERY_DAY}}


@pytest.fixture
def ids(system):
    """Fresh ids; the office is deactivated afterwards so the demo's office list stays."""
    made = {"service": f"svc-{uuid.uuid4().hex[:8]}", "office": f"off-{uuid.uuid4().hex[:8]}"}
    yield made
    current = api(system, "GET", f"/offices/{made['office']}", system.token_for("erika"))
    if current.status_code == 200 and current.json()["active"]:
        api(system, "DELETE", f"/offices/{made['office']}", system.token_for("erika"),
            {"If-Match": current.headers["ETag"]})


def slots(system, service_id, office_id, day=None):
    params = {"service_id": service_id, "office_id": office_id}
    if day:
        params.update(date_from=day, date_to=day)
    response = api(system, "GET", "/slots", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_admin_creates_changes_and_closes_residents_see_it(system, ids):
    admin, create = system.token_for("erika"), {"If-None-Match": "*"}
    made = api(system, "PUT", f"/services/{ids['service']}", admin, create, json=SERVICE)
    assert made.status_code == 201, made.text
    assert made.headers["ETag"] == '"1"'
    office = api(system, "PUT", f"/offices/{ids['office']}", admin, create,
                 json=office_body(ids["service"]))
    assert office.status_code == 201, office.text
    found = slots(system, ids["service"], ids["office"])
    assert found, "a new office offers slots at once"

    # counter staff may not maintain the catalogue
    assert api(system, "PUT", f"/offices/{ids['office']}", system.token_for("clara"),
               {"If-Match": '"1"'}, json=office_body(ids["service"])).status_code == 403
    assert api(system, "PUT", f"/offices/{ids['office']}", admin,
               json=office_body(ids["service"])).status_code == 428

    # shorter hours: the resident's view follows at once; a stale ETag is refused
    read = api(system, "GET", f"/offices/{ids['office']}", admin)
    assert read.headers["ETag"] == '"1"'
    day = found[-1]["start"][:10]
    shorter = api(system, "PUT", f"/offices/{ids['office']}", admin,
                  {"If-Match": read.headers["ETag"]},
                  json=office_body(ids["service"], ("09:00", "10:00")))
    assert shorter.status_code == 200 and shorter.headers["ETag"] == '"2"'
    assert [slot["start"][11:16] for slot in slots(system, ids["service"], ids["office"],
                                                   day)] == ["09:00", "09:30"]
    stale = api(system, "PUT", f"/offices/{ids['office']}", admin,
                {"If-Match": read.headers["ETag"]}, json=office_body(ids["service"]))
    assert stale.status_code == 412 and stale.json()["code"] == "version_conflict"
    assert stale.json()["current_version"] == 2

    # a booked day cannot be closed; a free day can, and its slots disappear
    first = slots(system, ids["service"], ids["office"], day)[0]
    held = hold(system, first)
    assert held.status_code == 201, held.text
    booked = api(system, "POST", f"/holds/{held.json()['hold_id']}/confirmation",
                 json={"name": "Erika", "email": f"{uuid.uuid4().hex}@example.org"})
    assert booked.status_code == 201, booked.text
    closure = {"date": day, "reason": TEXT}
    refused = api(system, "POST", f"/offices/{ids['office']}/closures", admin,
                  {"If-Match": '"2"'}, json=closure)
    assert refused.status_code == 409
    assert refused.json()["code"] == "bookings_affected"
    assert refused.json()["affected_bookings"] == 1
    cancelled = api(system, "DELETE", f"/bookings/{booked.json()['booking']['reference']}",
                    headers={"X-Manage-Token": booked.json()["manage_token"]})
    assert cancelled.status_code == 200
    closed = api(system, "POST", f"/offices/{ids['office']}/closures", admin,
                 {"If-Match": '"2"'}, json=closure)
    assert closed.status_code == 201, closed.text
    assert slots(system, ids["service"], ids["office"], day) == []
    listed = api(system, "GET", f"/offices/{ids['office']}/closures", admin)
    assert listed.json()["closures"] == [closure] and listed.headers["ETag"] == '"3"'

    # deactivating the service: no more slots, but it is kept
    gone = api(system, "DELETE", f"/services/{ids['service']}", admin, {"If-Match": '"1"'})
    assert gone.status_code == 200 and gone.json()["active"] is False
    assert slots(system, ids["service"], ids["office"]) == []
    catalogue = api(system, "GET", "/catalogue", admin).json()
    assert ids["service"] in {service["id"] for service in catalogue["services"]}


def test_concurrent_admins_exactly_one_wins_and_the_trail_says_who(system, ids):
    admin = system.token_for("erika")
    assert api(system, "PUT", f"/services/{ids['service']}", admin, {"If-None-Match": "*"},
               json=SERVICE).status_code == 201

    def replace(fee):
        return api(system, "PUT", f"/services/{ids['service']}", admin, {"If-Match": '"1"'},
                   json={**SERVICE, "fee_cents": fee}).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = sorted(pool.map(replace, range(6)))
    assert statuses == [200] + [412] * 5
    trail = api(system, "GET", "/catalogue/changes", admin, params={"limit": 5}).json()
    mine = [change for change in trail if change["entity_id"] == ids["service"]]
    assert [change["action"] for change in mine] == ["replaced", "created"]
    assert mine[0]["actor"]["role"] == "tenant_admin"
    assert mine[0]["actor"]["subject"].startswith("staff:")  # a pseudonym
    assert mine[0]["actor"]["name"] == "Erika Mustermann"
    assert admin not in str(trail)
