"""Permit applications through the whole system: a resident applies, a case worker decides.

Needs the permits service of issue 4 (the RPC contract in docs/architecture.md, Gateway).
Form field names are read from the permit type, so the test follows the demo data.
"""
import struct
import zlib

import pytest
import requests

from loket_gateway.identity.subjects import staff_subject
from tests.booking_client import address, api

pytestmark = pytest.mark.e2e

TYPE = "residents-parking"
RESIDENT, OTHER = address(40001), address(40002)
ADDRESS = {"street": "Marktplatz 1", "postal_code": "12345", "city": "Musterstadt"}
VALID = {"text": "Beispiel", "long_text": "Beispieltext", "date": "2027-03-01",
         "email": "erika@example.org", "phone": "+49 30 1234567", "integer": 1,
         "decimal": 1.5, "boolean": True, "licence_plate": "M-AB 123",
         "postal_code": "12345", "address": ADDRESS}


def png() -> bytes:
    """A valid 1x1 PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\0\xff\0\0")) + chunk(b"IEND", b""))


def kind(field: dict) -> str:
    return field["type"].replace("-", "_")


def value_for(field: dict):
    if field.get("choices"):
        return field["choices"][0]["value"]
    if kind(field) in ("integer", "decimal") and "min" in field:
        return field["min"]
    return VALID[kind(field)]


def resident(system, username: str = "anna") -> dict:
    """A demo resident's bearer header (access token from the development provider)."""
    return {"Authorization": f"Bearer {system.token_for(username)}"}


def staff(system) -> dict:
    """The demo case worker David's bearer header."""
    return {"Authorization": f"Bearer {system.token_for('david')}"}


def find_in_queue(system, application_id: str, query: str) -> dict:
    """The case in the queue filtered by ``query``, following the pages."""
    after = ""
    while True:
        page = api(system, "GET", f"/cases?{query}&limit=100{after}", headers=staff(system))
        assert page.status_code == 200, page.text
        body = page.json()
        assert body["total"] >= len(body["items"])
        found = [item for item in body["items"] if item["id"] == application_id]
        if found or not body["next"]:
            assert found, "the case is not in the queue"
            return found[0]
        after = f"&after={body['next']}"


def test_a_resident_applies_and_a_case_worker_decides(system):
    me = resident(system, "anna")
    described = api(system, "GET", f"/permit-types/{TYPE}")
    assert described.status_code == 200, described.text
    permit_type = described.json()
    fields = permit_type["fields"]
    required = [field for field in fields if field["required"]]
    plate = next(field for field in fields if kind(field) == "licence_plate")
    rest = [field for field in required if field is not plate]
    assert rest, "the test needs a second required field"

    def write(method, path, **kwargs):
        return api(system, method, path, client=RESIDENT, headers=me, **kwargs)

    invalid = write("POST", "/applications", json={
        "type_id": TYPE, "data": {plate["name"]: "!!! no plate !!!"}})
    assert invalid.status_code == 400
    assert plate["name"] in {param["name"].split(".")[-1]
                             for param in invalid.json()["invalid_params"]}

    created = write("POST", "/applications", json={
        "type_id": TYPE, "data": {plate["name"]: value_for(plate)}})
    assert created.status_code == 201, created.text
    draft = created.json()
    assert draft["state"] == "draft"
    path = f"/applications/{draft['id']}"

    incomplete = write("POST", path + "/submission")
    assert incomplete.status_code == 400
    assert incomplete.json()["code"] == "application_incomplete"
    assert {rest[0]["name"]} <= {param["name"].split(".")[0]
                                 for param in incomplete.json()["invalid_params"]}

    changed = write("PATCH", path, json={"data": {field["name"]: value_for(field)
                                                  for field in rest}})
    assert changed.status_code == 200, changed.text

    image = png()
    documents = [document for document in permit_type["documents"]
                 if "image/png" in document["content_types"]]
    assert documents, "the test uploads a PNG as a document"
    for document in documents:
        uploaded = write("POST", path + "/attachments", data={"document_id": document["id"]},
                         files={"file": ("bescheinigung.png", image, "image/png")})
        assert uploaded.status_code == 201, uploaded.text
        assert uploaded.json()["content_type"] == "image/png"
        assert uploaded.json()["size"] == len(image)
    attachment = write("GET", path).json()["attachments"][0]
    download = write("GET", f"{path}/attachments/{attachment['id']}")
    assert download.status_code == 200 and download.content == image
    assert download.headers["Content-Type"] == "image/png"
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"

    submitted = write("POST", path + "/submission")
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["state"] == "submitted"
    listed = next(item for item in api(system, "GET", "/permit-types").json()
                  if item["id"] == TYPE)
    assert submitted.json()["fee_cents"] >= listed["fee_cents"] > 0
    assert submitted.json()["due_at"]
    assert draft["id"] in {item["id"] for item in write("GET", "/applications").json()}

    case = find_in_queue(system, draft["id"], f"type_id={TYPE}&state=submitted")
    assert case["reference"] == draft["reference"]
    worker = staff_subject(system.pseudonym_key, "musterstadt", system.idp_url, "demo-david")
    cases = f"/cases/{draft['id']}"

    def decide(method, path, **kwargs):
        response = api(system, method, path, headers=staff(system), **kwargs)
        assert response.status_code == 200, response.text
        return response.json()

    assert decide("POST", cases + "/assignment", json={"assignee": "me"})["assigned_to"] == worker
    find_in_queue(system, draft["id"], f"type_id={TYPE}&assigned_to=me")
    assert decide("POST", cases + "/transitions", json={"to": "in_review"})["state"] == \
        "in_review"
    asked = decide("POST", cases + "/transitions", json={
        "to": "information_requested", "reason": "Anschrift unklar",
        "information_request": {"message": "Bitte Hausnummer prüfen.",
                                "fields": [rest[0]["name"]]}})
    assert asked["state"] == "information_requested"
    seen = write("GET", path).json()
    assert seen["information_request"]["message"] == "Bitte Hausnummer prüfen."

    answered = write("POST", path + "/answer", json={
        "data": {rest[0]["name"]: value_for(rest[0])}, "message": "Geprüft, stimmt so."})
    assert answered.status_code == 200, answered.text
    assert answered.json()["state"] == "submitted"

    decide("POST", cases + "/transitions", json={"to": "in_review"})
    no_reason = api(system, "POST", cases + "/transitions", headers=staff(system),
                    json={"to": "approved"})
    assert no_reason.status_code == 400
    approved = decide("POST", cases + "/transitions",
                      json={"to": "approved", "reason": "Alle Nachweise liegen vor."})
    assert approved["state"] == "approved"
    assert approved["decision"] == {"outcome": "approved",
                                    "reason": "Alle Nachweise liegen vor."}
    assert [entry["to"] for entry in approved["history"]][-1] == "approved"
    again = api(system, "POST", cases + "/transitions", headers=staff(system),
                json={"to": "rejected", "reason": "zu spät"})
    assert again.status_code == 409
    assert again.json()["code"] == "transition_not_allowed"
    staff_copy = api(system, "GET", f"{cases}/attachments/{attachment['id']}",
                     headers=staff(system))
    assert staff_copy.status_code == 200 and staff_copy.content == image

    mine = write("GET", path).json()
    assert mine["state"] == "approved" and mine["decision"]["outcome"] == "approved"

    other = resident(system, "ben")
    for other_path in (path, f"{path}/attachments/{attachment['id']}"):
        response = api(system, "GET", other_path, client=OTHER, headers=other)
        assert response.status_code == 404
    assert draft["id"] not in {item["id"] for item in api(
        system, "GET", "/applications", client=OTHER, headers=other).json()}


def test_applicant_routes_need_an_access_token(system):
    response = api(system, "GET", "/applications", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert response.headers["Content-Type"] == "application/problem+json"


def test_a_second_municipality_charges_its_own_fee(system):
    def parking(tenant):
        response = requests.get(f"{system.url}/api/v1/tenants/{tenant}/permit-types",
                                timeout=30)
        assert response.status_code == 200, response.text
        found = [item for item in response.json() if item["id"] == TYPE]
        assert found, f"{tenant} offers no {TYPE}"
        return found[0]

    assert parking("beispielstadt")["fee_cents"] != parking("musterstadt")["fee_cents"]
