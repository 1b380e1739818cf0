"""The tenant admins' catalogue API at the gateway's edge (no services needed)."""
import pytest

API = "/api/v1/tenants/musterstadt"
OFFICE = {"name": {"de": "a", "en": "a"}, "address": {"street": "s", "postal_code": "1",
                                                      "city": "c"},
          "accessibility": {"de": "a", "en": "a"}, "service_ids": []}


TOKENS = {}


@pytest.fixture(autouse=True)
def staff(tokens):
    """Access tokens by name, as musterstadt's staff provider signs them."""
    TOKENS.update({"admin-token": tokens.staff("musterstadt:tenant_admin"),
                   "counter-token": tokens.staff("musterstadt:counter_staff"),
                   "other-admin-token": tokens.staff("beispielstadt:tenant_admin"),
                   "operator-token": tokens.staff("*:operator")})


def bearer(name):
    return {"Authorization": f"Bearer {TOKENS.get(name, name)}"}


@pytest.mark.parametrize("method, path", [
    ("GET", "/catalogue"), ("GET", "/catalogue/changes"), ("GET", "/offices/rathaus"),
    ("PUT", "/offices/rathaus"),
    ("DELETE", "/offices/rathaus"), ("GET", "/services/id-card"), ("PUT", "/services/id-card"),
    ("DELETE", "/services/id-card"), ("GET", "/offices/rathaus/closures"),
    ("POST", "/offices/rathaus/closures"), ("DELETE", "/offices/rathaus/closures/2026-12-24"),
])
def test_only_the_tenants_admins_may_maintain_the_catalogue(client, method, path):
    assert client.open(API + path, method=method).status_code == 401
    assert client.open(API + path, method=method, headers=bearer("guess")).status_code == 401
    for token in ("counter-token", "other-admin-token", "operator-token"):
        response = client.open(API + path, method=method, headers=bearer(token))
        assert response.status_code == 403, token
        assert response.get_json()["code"] == "forbidden"


@pytest.mark.parametrize("method, path", [
    ("PUT", "/offices/rathaus"), ("DELETE", "/offices/rathaus"), ("PUT", "/services/id-card"),
    ("DELETE", "/services/id-card"), ("POST", "/offices/rathaus/closures"),
    ("DELETE", "/offices/rathaus/closures/2026-12-24"),
])
def test_writes_need_if_match(client, method, path):
    response = client.open(API + path, method=method, headers=bearer("admin-token"),
                           json=OFFICE)
    assert response.status_code == 428
    assert response.get_json()["code"] == "precondition_required"


@pytest.mark.parametrize("tag", ['W/"3"', "3", '"0"', '"x"', '"1", "2"'])
def test_if_match_that_cannot_match_is_412(client, tag):
    response = client.put(API + "/offices/rathaus", json=OFFICE,
                          headers={**bearer("admin-token"), "If-Match": tag})
    assert response.status_code == 412
    assert response.get_json()["code"] == "version_conflict"


def test_bodies_are_checked_before_any_service_is_asked(client):
    response = client.put(API + "/offices/rathaus", json={"name": "x"},
                          headers={**bearer("admin-token"), "If-None-Match": "*"})
    assert response.status_code == 400
    names = {param["name"].split(".")[0] for param in response.get_json()["invalid_params"]}
    assert names == {"name", "address", "accessibility", "service_ids"}


def test_a_leika_key_that_is_not_14_digits_is_refused_at_the_edge(client):
    service = {"name": {"de": "a", "en": "a"}, "description": {"de": "a", "en": "a"},
               "duration_minutes": 15, "fee_cents": 0, "service_key": "9911500510400X"}
    response = client.put(API + "/services/id-card", json=service,
                          headers={**bearer("admin-token"), "If-None-Match": "*"})
    assert response.status_code == 400
    assert [param["name"] for param in response.get_json()["invalid_params"]] == [
        "service_key"]


def test_a_valid_write_reaches_for_the_service(client):
    # No broker in these tests: the valid request gets as far as the RPC.
    response = client.put(API + "/offices/rathaus", json=OFFICE,
                          headers={**bearer("admin-token"), "If-Match": '"2"'})
    assert response.status_code == 503


def test_openapi_documents_the_preconditions(client):
    spec = client.get("/openapi.json").get_json()
    put = spec["paths"]["/api/v1/tenants/{tenant}/offices/{office_id}"]["put"]
    assert {"If-Match", "If-None-Match"} <= {p["name"] for p in put["parameters"]
                                             if p["in"] == "header"}
    assert {"200", "201", "409", "412", "428"} <= set(put["responses"])
    assert put["security"] == [{"staffToken": []}]
