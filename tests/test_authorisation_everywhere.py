"""Every endpoint of ``/openapi.json`` has an authorisation test: this one.

An endpoint is either public on purpose (listed in :data:`PUBLIC`, with why) or declares
its security scheme; each secured endpoint then refuses a request without credentials
(401), and a sign-in of the wrong kind or of another municipality (401, 403 or 404, never
an answer or a validation error), and a secret link's endpoint a wrong secret (404). A new
endpoint that is neither listed nor secured fails the first test.
"""
import pytest
import requests

pytestmark = pytest.mark.e2e

TENANT_PREFIX = "/api/v1/tenants/{tenant}"
# Public: information anyone may read, or steps whose only key is an id nobody can guess
# (a hold is held by whoever got its random id; a lottery entry or booking then gets a
# secret link of its own).
PUBLIC = {
    ("GET", "/health"), ("GET", "/offices"), ("GET", "/slots"), ("GET", "/slots/first"),
    ("GET", "/contact-fields"), ("GET", "/permit-types"), ("GET", "/permit-types/{type_id}"),
    ("GET", "/profile-fields"), ("GET", "/services/{service_id}/release"),
    ("POST", "/challenges"), ("POST", "/holds"), ("DELETE", "/holds/{hold_id}"),
    ("POST", "/holds/{hold_id}/confirmation"), ("POST", "/lottery-entries"),
}
SECRET_HEADERS = {"manageToken": "X-Manage-Token", "statusToken": "X-Status-Token"}
# Bodies valid in shape, so that what is refused is the caller, not the body.
BODIES = {"/bookings/{reference}/reschedule": {"office_id": "rathaus",
                                               "start": "2030-01-07T08:00:00+01:00"}}
# Refusals: 401 (not signed in here), 403 (known, but not allowed), 404 (nothing of theirs).
REFUSED = (401, 403, 404)


def operations(system) -> list[tuple[str, str, str | None]]:
    """(method, path, security scheme or None) of every documented operation."""
    paths = requests.get(system.url + "/openapi.json", timeout=10).json()["paths"]
    found = []
    for path, described in paths.items():
        for method, operation in described.items():
            schemes = [name for entry in operation.get("security", []) for name in entry]
            found.append((method.upper(), path, schemes[0] if schemes else None))
    return found


def short(path: str) -> str:
    return path.removeprefix(TENANT_PREFIX)


def send(system, method, path, tenant="musterstadt", headers=None):
    url = system.url + path.replace("{tenant}", tenant)
    for name in ("application_id", "attachment_id", "business_id", "purpose", "reference",
                 "office_id", "counter_id", "service_id", "day", "hold_id", "type_id"):
        url = url.replace("{" + name + "}", "x-probe")
    body = BODIES.get(short(path), {}) if method in ("POST", "PUT", "PATCH") else None
    return requests.request(method, url, headers=headers or {}, json=body, timeout=30)


def test_every_endpoint_is_public_on_purpose_or_secured(system):
    documented = operations(system)
    unsecured = {(method, short(path)) for method, path, scheme in documented if not scheme}
    assert unsecured == PUBLIC, (
        f"not listed as public and without security: {sorted(unsecured - PUBLIC)}; "
        f"listed but gone or secured: {sorted(PUBLIC - unsecured)}")
    assert {scheme for _, _, scheme in documented if scheme} <= {
        "profileToken", "staffToken", *SECRET_HEADERS}


def test_every_secured_endpoint_refuses_who_may_not(system):
    tokens = {name: {"Authorization": f"Bearer {system.token_for(name)}"}
              for name in ("anna", "chris", "david", "felix")}
    wrong = {  # scheme -> sign-ins that must be refused on musterstadt
        "profileToken": [("staff", tokens["david"]), ("other town", tokens["chris"])],
        "staffToken": [("resident", tokens["anna"]), ("other town", tokens["felix"])],
    }
    failures = []
    for method, path, scheme in operations(system):
        if scheme is None:
            continue
        bare = send(system, method, path)
        if bare.status_code != 401:
            failures.append((method, path, "no credentials", bare.status_code))
        if scheme in SECRET_HEADERS:
            guessed = send(system, method, path, headers={SECRET_HEADERS[scheme]: "guess"})
            if guessed.status_code != 404:
                failures.append((method, path, "guessed secret", guessed.status_code))
            continue
        for who, headers in wrong[scheme]:
            refused = send(system, method, path, headers=headers)
            if refused.status_code not in REFUSED:
                failures.append((method, path, who, refused.status_code))
    assert failures == [], failures
