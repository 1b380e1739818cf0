"""The permit application API at the gateway's edge.

Failures answered before any RPC need no services. The body -> RPC mapping is checked
against the conftest's fakes of the services' Protocols (not of the broker).
"""
import base64
import io
from unittest.mock import call

import pytest

from loket_common.errors import NotFound
from loket_gateway.identity.staff_roles import ROLES
from loket_gateway.identity.subjects import resident_subject, staff_subject
from loket_permits.exceptions import DraftIncomplete, TransitionNotAllowed

from . import answers
from .answers import PNG
from .conftest import remote

API = "/api/v1/tenants/musterstadt"
ISSUER, KEY = "http://127.0.0.1:9", "test-pseudonym-key"  # conftest's provider and key
APPLICANT = {"subject": resident_subject(KEY, "musterstadt", ISSUER, "demo-anna"),
             "name": "Anna Schmidt"}


def actor(sub, role):
    return {"subject": staff_subject(KEY, "musterstadt", ISSUER, sub), "name": "Sam Staff",
            "role": role}


@pytest.fixture
def rpc(services):
    """The permits service's fake, answering Anna's requests as the real service does."""
    permits = services.permits
    permits.get_permit_type.return_value = answers.permit_type()
    permits.create_application.return_value = answers.application(APPLICANT)
    permits.my_applications.return_value = answers.application_summaries()
    for name in ("get_application", "update_draft", "get_case"):
        getattr(permits, name).return_value = answers.application(APPLICANT)
    permits.submit_application.return_value = answers.application(APPLICANT,
                                                                  state="submitted")
    permits.answer_information_request.return_value = permits.submit_application.return_value
    permits.withdraw_application.return_value = answers.application(APPLICANT,
                                                                    state="withdrawn")
    permits.add_attachment.return_value = answers.attachment()
    permits.remove_attachment.return_value = None
    permits.get_attachment.return_value = answers.stored_file()
    permits.case_queue.return_value = answers.case_page()
    permits.assign_case.return_value = answers.application(APPLICANT, state="in_review")
    permits.transition_case.return_value = answers.application(APPLICANT, state="approved")
    return services


@pytest.fixture
def auth(tokens):
    """Authorization headers by who sends them."""
    return {name: tokens.bearer(token) for name, token in {
        "resident": tokens.resident(),
        "case": tokens.staff("musterstadt:case_worker", sub="demo-case"),
        "admin": tokens.staff("musterstadt:tenant_admin", sub="demo-admin"),
        "counter": tokens.staff("musterstadt:counter_staff"),
        # beispielstadt's case worker, signed in through musterstadt's staff provider
        "other_case": tokens.staff("beispielstadt:case_worker"),
        "operator": tokens.staff("*:operator"),
    }.items()}


def test_tenant_admins_may_do_what_case_workers_do():
    assert "case_worker" in ROLES["tenant_admin"]
    assert ROLES["case_worker"] == {"case_worker"}


APPLICANT_ROUTES = [
    ("POST", "/applications"), ("GET", "/applications"), ("GET", "/applications/a1"),
    ("PATCH", "/applications/a1"), ("POST", "/applications/a1/attachments"),
    ("DELETE", "/applications/a1/attachments/t1"), ("GET", "/applications/a1/attachments/t1"),
    ("POST", "/applications/a1/submission"), ("POST", "/applications/a1/withdrawal"),
    ("POST", "/applications/a1/answer"),
]
CASE_ROUTES = [
    ("GET", "/cases"), ("GET", "/cases/a1"), ("GET", "/cases/a1/attachments/t1"),
    ("POST", "/cases/a1/assignment"), ("POST", "/cases/a1/transitions"),
]


@pytest.mark.parametrize("method, path", APPLICANT_ROUTES)
def test_applicant_routes_need_the_profile_token(client, method, path):
    response = client.open(API + path, method=method, json={
        "type_id": "residents-parking", "data": {}, "reason": "x", "message": "x"})
    assert response.status_code == 401
    assert response.get_json()["code"] == "not_authenticated"


@pytest.mark.parametrize("method, path", CASE_ROUTES)
def test_only_the_tenants_case_workers_may_work_on_cases(client, auth, method, path):
    assert client.open(API + path, method=method).status_code == 401
    for name in ("counter", "other_case", "operator"):
        response = client.open(API + path, method=method, headers=auth[name])
        assert response.status_code == 403, name
        assert response.get_json()["code"] == "forbidden"
    # a resident's sign-in is known, but no staff sign-in: refused
    assert client.open(API + path, method=method, headers=auth["resident"]).status_code == 403


@pytest.mark.parametrize("method, path, body, fields", [
    ("POST", "/applications", {"data": {}}, {"type_id"}),
    ("POST", "/applications", {"type_id": "Bad Id!", "data": []}, {"type_id", "data"}),
    ("POST", "/applications", {"type_id": "x", "on_behalf_of": {}},
     {"on_behalf_of.company_name", "on_behalf_of.role"}),
    ("PATCH", "/applications/a1", {}, {"data"}),
    ("POST", "/applications/a1/withdrawal", {"reason": ""}, {"reason"}),
    ("POST", "/applications/a1/answer", {"data": {}}, {"message"}),
])
def test_applicant_bodies_are_checked_before_any_service_is_asked(client, auth, method, path,
                                                                  body, fields):
    response = client.open(API + path, method=method, json=body, headers=auth["resident"])
    assert response.status_code == 400
    assert response.get_json()["code"] == "validation_failed"
    assert {param["name"] for param in response.get_json()["invalid_params"]} == fields


@pytest.mark.parametrize("body, fields", [
    ({"to": "approved"}, {"reason"}),
    ({"to": "rejected", "reason": ""}, {"reason"}),
    ({"to": "information_requested", "reason": "x"}, {"information_request"}),
    ({"to": "information_requested", "information_request": {"fields": ["x"]}},
     {"information_request.message"}),
    ({"to": "draft", "reason": "x"}, {"to"}),
])
def test_transitions_say_what_they_need(client, auth, body, fields):
    response = client.post(API + "/cases/a1/transitions", json=body,
                           headers=auth["case"])
    assert response.status_code == 400
    assert {param["name"] for param in response.get_json()["invalid_params"]} == fields


@pytest.mark.parametrize("query, field", [("limit=0", "limit"), ("limit=101", "limit"),
                                          ("state=lost", "state"), ("overdue=maybe", "overdue")])
def test_the_queue_query_is_checked(client, auth, query, field):
    response = client.get(API + "/cases?" + query, headers=auth["case"])
    assert response.status_code == 400
    assert [param["name"] for param in response.get_json()["invalid_params"]] == [field]


def test_a_new_application_names_the_profile_as_applicant(client, auth, rpc):
    body = {"type_id": "residents-parking", "data": {"licence_plate": "M-AB 123"},
            "on_behalf_of": {"company_name": "Beispiel GmbH", "role": "director"}}
    response = client.post(API + "/applications", json=body, headers=auth["resident"])
    assert response.status_code == 201
    assert rpc.mock_calls == [
        call.permits.get_permit_type("musterstadt", "residents-parking"),
        call.permits.create_application("musterstadt", APPLICANT, "residents-parking",
                                        body["data"], body["on_behalf_of"])]
    assert response.get_json()["id"] == "a1"


@pytest.mark.parametrize("method, path, body, expected", [
    ("GET", "/applications", None, call.permits.my_applications(
        "musterstadt", APPLICANT["subject"])),
    ("GET", "/applications/a1", None,
     call.permits.get_application("musterstadt", APPLICANT["subject"], "a1")),
    ("PATCH", "/applications/a1", {"data": {"a": 1}},
     call.permits.update_draft("musterstadt", APPLICANT, "a1", {"a": 1})),
    ("POST", "/applications/a1/submission", None,
     call.permits.submit_application("musterstadt", APPLICANT, "a1")),
    ("POST", "/applications/a1/withdrawal", {"reason": "moved"},
     call.permits.withdraw_application("musterstadt", APPLICANT, "a1", "moved")),
    ("POST", "/applications/a1/answer", {"data": {"a": 2}, "message": "here"},
     call.permits.answer_information_request("musterstadt", APPLICANT, "a1", {"a": 2},
                                             "here")),
])
def test_applicant_requests_map_onto_the_contract(client, auth, rpc, method, path, body,
                                                  expected):
    response = client.open(API + path, method=method, json=body, headers=auth["resident"])
    assert response.status_code == 200
    assert rpc.mock_calls == [expected]


@pytest.mark.parametrize("error, status, code", [
    (DraftIncomplete("Incomplete.", invalid_params=[{"name": "licence_plate",
                                                     "reason": "Required."}]),
     400, "application_incomplete"),
    (TransitionNotAllowed("Already submitted."), 409, "transition_not_allowed"),
    (NotFound("No such application."), 404, "not_found"),
])
def test_the_services_refusal_reaches_the_applicant_by_its_code(client, auth, rpc, error,
                                                                status, code):
    rpc.permits.submit_application.side_effect = remote(error)
    response = client.post(API + "/applications/a1/submission", headers=auth["resident"])
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["code"] == code
    assert response.get_json().get("invalid_params") == error.extra.get("invalid_params")


def test_removing_an_attachment_is_204(client, auth, rpc):
    response = client.delete(API + "/applications/a1/attachments/t1", headers=auth["resident"])
    assert response.status_code == 204
    assert rpc.mock_calls == [call.permits.remove_attachment("musterstadt", APPLICANT, "a1",
                                                             "t1")]


def test_an_upload_goes_to_the_service_as_base64(client, auth, rpc):
    response = client.post(API + "/applications/a1/attachments", headers=auth["resident"],
                           content_type="multipart/form-data",
                           data={"document_id": "vehicle_registration",
                                 "file": (io.BytesIO(PNG), "car.png")})
    assert response.status_code == 201
    assert rpc.mock_calls == [call.permits.add_attachment(
        "musterstadt", APPLICANT, "a1", "vehicle_registration", "car.png",
        base64.b64encode(PNG).decode())]
    assert response.get_json()["id"] == "t1"


@pytest.mark.parametrize("data, fields", [({"document_id": "x"}, {"file"}),
                                          ({}, {"document_id", "file"})])
def test_an_upload_needs_a_document_id_and_a_file(client, auth, rpc, data, fields):
    response = client.post(API + "/applications/a1/attachments", headers=auth["resident"],
                           content_type="multipart/form-data", data=data)
    assert response.status_code == 400
    assert {param["name"] for param in response.get_json()["invalid_params"]} == fields
    assert rpc.mock_calls == []


def test_a_too_large_upload_is_413_problem(app, client, auth, rpc):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post(API + "/applications/a1/attachments", headers=auth["resident"],
                           content_type="multipart/form-data",
                           data={"document_id": "x",
                                 "file": (io.BytesIO(b"x" * 5000), "big.png")})
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["code"] == "request_too_large"
    assert rpc.mock_calls == []


@pytest.mark.parametrize("path, who, kwargs", [
    ("/applications/a1/attachments/t1", "resident", {"applicant": APPLICANT}),
    ("/cases/a1/attachments/t1", "case", {"actor": actor("demo-case", "case_worker")}),
])
def test_downloads_are_attachments_never_sniffed(client, rpc, auth, path, who, kwargs):
    response = client.get(API + path, headers=auth[who])
    assert response.status_code == 200
    assert response.get_data() == PNG
    assert response.mimetype == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert rpc.mock_calls == [call.permits.get_attachment("musterstadt", "a1", "t1", **kwargs)]


def test_the_queue_resolves_me_and_passes_the_filters(client, auth, rpc):
    response = client.get(API + "/cases?type_id=residents-parking&state=submitted"
                                "&assigned_to=me&overdue=false&after=c1",
                          headers=auth["admin"])
    assert response.status_code == 200
    me = actor("demo-admin", "case_worker")["subject"]
    assert rpc.mock_calls == [call.permits.case_queue("musterstadt", {
        "type_id": "residents-parking", "state": "submitted", "assigned_to": me,
        "overdue": False, "after": "c1", "limit": 50})]
    assert [case["id"] for case in response.get_json()["items"]] == ["a1"]


def test_assignment_and_transitions_carry_the_actor(client, auth, rpc):
    worker = actor("demo-case", "case_worker")
    client.post(API + "/cases/a1/assignment", json={"assignee": "me"},
                headers=auth["case"])
    client.post(API + "/cases/a1/assignment", json={"assignee": "token:0123456789abcdef"},
                headers=auth["case"])
    request = {"message": "Which car?", "fields": ["licence_plate"],
               "answer_by": "2026-12-20"}  # crosses RPC as the ISO day
    client.post(API + "/cases/a1/transitions", headers=auth["case"],
                json={"to": "information_requested", "information_request": request})
    client.post(API + "/cases/a1/transitions", headers=auth["case"],
                json={"to": "approved", "reason": "All there."})
    assert rpc.mock_calls == [
        call.permits.assign_case("musterstadt", "a1", worker["subject"], worker),
        call.permits.assign_case("musterstadt", "a1", "token:0123456789abcdef", worker),
        call.permits.transition_case("musterstadt", "a1", "information_requested", None,
                                     worker, information_request=request),
        call.permits.transition_case("musterstadt", "a1", "approved", "All there.", worker,
                                     information_request=None),
    ]


def test_permit_types_are_public(client, rpc):
    assert client.get(API + "/permit-types/residents-parking").status_code == 200
    assert rpc.mock_calls == [call.permits.get_permit_type("musterstadt", "residents-parking")]


def test_unknown_tenant_is_404_before_any_service(client, auth, rpc):
    response = client.get("/api/v1/tenants/atlantis/applications", headers=auth["resident"])
    assert response.status_code == 404
    assert rpc.mock_calls == []


def test_openapi_documents_every_permit_route(client):
    paths = client.get("/openapi.json").get_json()["paths"]
    prefix = "/api/v1/tenants/{tenant}"
    upload = paths[prefix + "/applications/{application_id}/attachments"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    assert upload["security"] == [{"residentToken": []}]
    assert "413" in upload["responses"]
    assert paths[prefix + "/cases"]["get"]["security"] == [{"staffToken": []}]
    download = paths[prefix + "/applications/{application_id}/attachments/{attachment_id}"]
    assert "image/png" in download["get"]["responses"]["200"]["content"]
    created = paths[prefix + "/applications"]["post"]
    assert created["responses"]["201"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Application"}
    for method, path in APPLICANT_ROUTES + CASE_ROUTES:
        templated = prefix + path.replace("a1", "{application_id}").replace(
            "t1", "{attachment_id}")
        assert method.lower() in paths[templated], (method, path)


def test_uploads_are_rate_limited_per_address(client, auth, rpc):
    from loket_gateway.core.rate_limits import UPLOAD_LIMIT

    allowed = int(UPLOAD_LIMIT.split("/")[0])
    statuses = [client.post(API + "/applications/a1/attachments", headers=auth["resident"],
                            content_type="multipart/form-data",
                            data={"document_id": "x", "file": (io.BytesIO(PNG), "a.png")}
                            ).status_code for _ in range(allowed + 1)]
    assert statuses == [201] * allowed + [429]
