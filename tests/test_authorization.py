"""Authorization everywhere: every API operation in /openapi.json has a rule and its probes.

Each operation is declared in ``authorization_rules`` as public, reachable by a secret
link or capability, a resident's own, staff of a role, or the operator's. A new endpoint
without a rule fails ``test_every_operation_has_an_authorization_rule``. The probes then
call each operation on anna's objects (musterstadt) as nobody, as another resident (ben),
as a resident of another municipality (chris, beispielstadt), as staff without the role,
as staff of another municipality (felix) and as the data-centre operator (olga): every one
must fail with 401, 403 or 404, and no answer may carry anna's data.
"""
from __future__ import annotations

import itertools
import re
import uuid

import pytest
import requests

from .authorization_rules import BODIES, RULES, Rule, T
from .booking_client import address, solved
from .test_lottery_flow import lottery_service  # noqa: F401 (fixture: a lottery window)
from .test_permit_applications import TYPE, kind, png, value_for

pytestmark = pytest.mark.e2e

REFUSED = (401, 403, 404)
CLIENT = address(60_001)
# Path parameters naming one person's object; a route without one answers each caller
# with their own data (or their own tenant's, for staff), which must not be anna's.
OWNED = ("{application_id}", "{attachment_id}", "{business_id}", "{reference}", "{hold_id}")
CALLERS = itertools.count(60_100)



def documented(system) -> dict[tuple[str, str], list[str]]:
    """Every (method, path) the gateway documents, with its security schemes."""
    spec = requests.get(system.url + "/openapi.json", timeout=10).json()
    return {(method.upper(), path): [name for entry in operation.get("security", [])
                                     for name in entry]
            for path, item in spec["paths"].items() for method, operation in item.items()
            if method in {"get", "post", "put", "patch", "delete"}}


DOCUMENTED_STATUSES: dict[tuple[str, str], set[str]] = {}


@pytest.fixture(scope="module", autouse=True)
def documented_statuses(system):
    """Each operation's documented statuses, as the probes below check them."""
    spec = requests.get(system.url + "/openapi.json", timeout=10).json()
    DOCUMENTED_STATUSES.update({(method.upper(), path): set(operation["responses"])
                                for path, item in spec["paths"].items()
                                for method, operation in item.items()
                                if method in {"get", "post", "put", "patch", "delete"}})


def test_every_operation_has_an_authorization_rule(system):
    operations = documented(system)
    missing = sorted(operation for operation in operations if operation not in RULES)
    assert not missing, f"operations without an authorization rule (add them here): {missing}"
    stale = sorted(operation for operation in RULES if operation not in operations)
    assert not stale, f"rules for operations that no longer exist: {stale}"
    # the document tells clients the same: what needs credentials declares its scheme
    for operation, schemes in operations.items():
        open_to_all = RULES[operation].kind in {"public", "capability"}
        assert bool(schemes) is not open_to_all, (operation, schemes)


def bearer(system, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {system.token_for(username)}"}


def call(system, method: str, path: str, headers: dict | None = None, **kwargs):
    """One request from a client address of its own (rate limits are not what is probed)."""
    headers = {"X-Forwarded-For": address(next(CALLERS)), **(headers or {})}
    return requests.request(method, system.url + path, headers=headers, timeout=30, **kwargs)


@pytest.fixture(scope="module")
def anna(system):
    """Anna's objects in musterstadt, each of a kind an endpoint names by id (then undone)."""
    me = bearer(system, "anna")
    base = "/api/v1/tenants/musterstadt"
    business = call(system, "POST", base + "/me/businesses", me,
                    json={"company_name": "Schmidt Gartenbau GmbH"})
    assert business.status_code == 201, business.text
    permit_type = call(system, "GET", f"{base}/permit-types/{TYPE}").json()
    plate = next(field for field in permit_type["fields"] if kind(field) == "licence_plate")
    created = call(system, "POST", base + "/applications", me,
                   json={"type_id": TYPE, "data": {plate["name"]: value_for(plate)}})
    assert created.status_code == 201, created.text
    application = created.json()
    document = next(document for document in permit_type["documents"]
                    if "image/png" in document["content_types"])
    uploaded = call(system, "POST", f"{base}/applications/{application['id']}/attachments", me,
                    data={"document_id": document["id"]},
                    files={"file": ("anna-schmidt-ausweis.png", png(), "image/png")})
    assert uploaded.status_code == 201, uploaded.text
    first = call(system, "GET", base + "/slots/first", params={"service_id": "id-card"}).json()
    hold = call(system, "POST", base + "/holds", me, json={
        **{key: first[key] for key in ("service_id", "office_id", "start")},
        "pow_solution": solved(system, CLIENT)})
    assert hold.status_code == 201, hold.text
    booked = call(system, "POST", f"{base}/holds/{hold.json()['hold_id']}/confirmation", me,
                  json={"name": "Anna Schmidt", "email": "anna.schmidt@example.org",
                        "language": "de"})
    assert booked.status_code == 201, booked.text
    spare = call(system, "POST", base + "/holds", me, json={
        **{key: first[key] for key in ("service_id", "office_id")},
        "start": call(system, "GET", base + "/slots", params={
            "service_id": "id-card", "office_id": first["office_id"]}).json()[3]["start"],
        "pow_solution": solved(system, CLIENT)})
    assert spare.status_code == 201, spare.text
    office = call(system, "GET", base + "/offices").json()[0]
    ids = {
        "tenant": "musterstadt", "business_id": business.json()["id"],
        "application_id": application["id"], "attachment_id": uploaded.json()["id"],
        "reference": booked.json()["booking"]["reference"],
        "manage_token": booked.json()["manage_token"], "hold_id": spare.json()["hold_id"],
        "office_id": office["id"], "counter_id": office.get("counters", [{"id": "1"}])[0]["id"],
        "service_id": "id-card", "type_id": TYPE, "day": "2030-01-02",
        "kind": "booking_reminder", "message_id": str(uuid.uuid4()),
        "purpose": "email_status_updates", "subject": call(
            system, "GET", base + "/me", me).json()["subject"],
    }
    yield ids
    # leave anna as she was: other tests book for her (one active booking per person)
    call(system, "DELETE", f"{base}/bookings/{ids['reference']}",
         {"X-Manage-Token": ids["manage_token"]})
    call(system, "DELETE", f"{base}/holds/{ids['hold_id']}")


def filled(path: str, ids: dict, tenant: str | None = None) -> str:
    """``path`` with anna's ids (and ``tenant`` in place of hers, if given)."""
    values = {**ids, **({"tenant": tenant} if tenant else {})}
    return re.sub(r"\{(\w+)\}", lambda match: str(values[match.group(1)]), path)


def assert_refused(response, who: str, operation: tuple[str, str], ids: dict) -> None:
    assert response.status_code in REFUSED, (
        f"{who} got {response.status_code} on {operation}: {response.text[:300]}")
    assert_not_annas(response, who, operation, ids)
    # the document lists every refusal a client can meet (a generated contract that lies
    # about its errors is a defect: see docs/openapi.json)
    assert str(response.status_code) in DOCUMENTED_STATUSES[operation], (
        f"{who} got {response.status_code} on {operation}, which /openapi.json does not list")


def probes(system, rule: Rule) -> dict[str, dict[str, str]]:
    """Callers who must be refused anna's objects under ``rule`` (name -> headers)."""
    nobody: dict[str, str] = {}
    if rule.kind == "resident":
        return {"nobody": nobody, "ben (another resident)": bearer(system, "ben"),
                "chris (beispielstadt)": bearer(system, "chris"),
                "david (staff)": bearer(system, "david"), "olga (operator)": bearer(system, "olga")}
    if rule.kind == "staff":
        roles = rule.role.split(" or ")  # a rule may name several roles
        other_roles = {f"{name} (other role)": bearer(system, name) for name, role in (
            ("clara", "counter_staff"), ("david", "case_worker")) if role not in roles}
        return {"nobody": nobody, "anna (resident)": bearer(system, "anna"), **other_roles,
                "felix (beispielstadt staff)": bearer(system, "felix"),
                "olga (operator)": bearer(system, "olga")}
    if rule.kind == "operator":
        return {"nobody": nobody, "anna (resident)": bearer(system, "anna"),
                "erika (tenant admin)": bearer(system, "erika")}
    return {}


def names_an_object(path: str) -> bool:
    """Whether ``path`` names one person's object (else each caller sees their own)."""
    return any(param in path for param in OWNED)


def assert_not_annas(response, who: str, operation: tuple[str, str], ids: dict) -> None:
    """No server error, and nothing of anna's (her pseudonym, name, email, file, company)."""
    assert response.status_code < 500, (who, operation, response.text[:300])
    for secret in (ids["subject"], "Anna Schmidt", "anna.schmidt@example.org",
                   "anna-schmidt-ausweis", "Schmidt Gartenbau"):
        assert secret not in response.text, f"{who} saw anna's data on {operation}"


@pytest.mark.parametrize("operation", sorted(
    operation for operation, rule in RULES.items()
    if rule.kind in {"resident", "staff", "operator"}), ids=" ".join)
def test_no_one_but_the_owner_or_role_reaches_it(system, anna, operation):
    method, path = operation
    rule = RULES[operation]
    body = BODIES.get(operation)
    files = ({"file": ("probe.png", png(), "image/png")} if path.endswith("/attachments")
             and method == "POST" else None)
    send = {"data": {"document_id": "x"}, "files": files} if files else {"json": body}
    for who, headers in probes(system, rule).items():
        own_data = who.startswith(("ben", "chris")) and not names_an_object(path)
        if own_data and method != "GET":
            continue  # writing one's own profile, consents or drafts is theirs to do
        response = call(system, method, filled(path, anna), headers, **send)
        if own_data:  # a resident's own list or profile (chris: a new resident here)
            assert_not_annas(response, who, operation, anna)
        else:
            assert_refused(response, who, operation, anna)
        if rule.kind == "operator":
            continue
        other_tenant = call(system, method, filled(path, anna, "beispielstadt"), headers,
                            **send)
        if names_an_object(path) or who == "nobody":
            assert_refused(other_tenant, who + " in beispielstadt", operation, anna)
        else:  # their own municipality's data, if they belong there
            assert_not_annas(other_tenant, who + " in beispielstadt", operation, anna)


@pytest.mark.parametrize("operation", sorted(
    operation for operation, rule in RULES.items()
    if rule.kind in {"secret_link", "capability"}), ids=" ".join)
def test_secret_links_and_capabilities_open_only_their_own_object(
        system, anna, operation, lottery_service):  # noqa: F811
    method, path = operation
    ids = dict(anna)
    if "lottery-entries" in path:
        service_id, _ = lottery_service
        entered = call(system, "POST", "/api/v1/tenants/musterstadt/lottery-entries", json={
            "service_id": service_id, "name": "Anna Schmidt",
            "email": "anna.schmidt@example.org", "language": "de"})
        assert entered.status_code == 201, entered.text
        ids["reference"] = entered.json()["entry"]["reference"]
        ids["manage_token"] = entered.json()["status_token"]
    body = BODIES.get(operation)
    header = "X-Status-Token" if "lottery-entries" in path else "X-Manage-Token"
    if RULES[operation].kind == "secret_link":
        guess = {header: uuid.uuid4().hex}
        assert_refused(call(system, method, filled(path, ids), json=body), "nobody",
                       operation, ids)
        assert_refused(call(system, method, filled(path, ids), guess, json=body),
                       "a guessed token", operation, ids)
        assert_refused(call(system, method, filled(path, ids), bearer(system, "ben"), json=body),
                       "ben's bearer token", operation, ids)
    owner = {header: ids["manage_token"]}
    other_tenant = call(system, method, filled(path, ids, "beispielstadt"), owner, json=body)
    if operation == ("DELETE", T + "/holds/{hold_id}"):
        # letting a hold go is idempotent (204 whether or not there was one): prove
        # that anna's hold in musterstadt is still held afterwards
        assert other_tenant.status_code == 204
        still = call(system, "GET", f"/en/appointments/holds/{ids['hold_id']}")
        assert still.status_code == 200 and 'name="email"' in still.text, still.text[:300]
    else:
        assert_refused(other_tenant, "the right token in beispielstadt", operation, ids)
    unknown = call(system, method, filled(path, {**ids, "hold_id": uuid.uuid4(),
                                                 "reference": "XXXX-XXXX"}), owner, json=body)
    if operation == ("DELETE", T + "/holds/{hold_id}"):
        assert unknown.status_code == 204  # idempotent, see above
    else:
        assert_refused(unknown, "an unknown id", operation, ids)


def test_public_operations_hold_no_personal_data(system, anna):
    for operation, rule in RULES.items():
        method, path = operation
        if rule.kind != "public" or method != "GET":
            continue
        params = {"service_id": "id-card"} if "/slots" in path else None
        response = call(system, method, filled(path, anna), params=params)
        assert response.status_code in (200, 404), (operation, response.text[:200])
        assert_not_annas(response, "anyone (public)", operation, anna)
