"""The permit application API at the gateway's edge.

Failures answered before any RPC need no services. The body -> RPC mapping is checked
against a fake of the permits and profile services' RPC interface (not of the broker).
"""
import base64
import io
from contextlib import contextmanager

import pytest

from loket_common.tokens import token_hash
from loket_gateway.staff_auth import ROLES, actor

API = "/api/v1/tenants/musterstadt"
PROFILE = {"subject": "p-123", "given_name": "Erika", "family_name": "Mustermann"}
APPLICANT = {"subject": "p-123", "name": "Erika Mustermann"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
RESIDENT = {"Authorization": "Bearer profile-token"}


class FakeService:
    """Records calls; answers each with ``answers[name]`` or the call itself."""

    def __init__(self, calls, answers):
        self.calls, self.answers = calls, answers

    def __getattr__(self, name):
        def call(*args, **kwargs):
            self.calls.append((name, args, kwargs))
            return self.answers.get(name, {"called": name})
        return call


class FakeRpc:
    def __init__(self):
        self.calls = []
        self.profile = FakeService(self.calls, {"get_own_profile": PROFILE})
        self.permits = FakeService(self.calls, {
            "get_attachment": {"filename": "plan \"1\".png", "content_type": "image/png",
                               "content_base64": base64.b64encode(PNG).decode()},
            "remove_attachment": None})

    @contextmanager
    def services(self):
        yield self

    def permits_calls(self):
        return [(name, args, kwargs) for name, args, kwargs in self.calls
                if name != "get_own_profile"]


@pytest.fixture
def rpc(app):
    fake = FakeRpc()
    app.extensions["loket_rpc"] = fake
    return fake


@pytest.fixture(autouse=True)
def staff(monkeypatch):
    monkeypatch.setenv("LOKET_STAFF_TOKENS", ",".join([
        "musterstadt:case_worker:" + token_hash("case-token"),
        "musterstadt:tenant_admin:" + token_hash("admin-token"),
        "musterstadt:counter_staff:" + token_hash("counter-token"),
        "beispielstadt:case_worker:" + token_hash("other-case-token")]))


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


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
def test_only_the_tenants_case_workers_may_work_on_cases(client, method, path):
    assert client.open(API + path, method=method).status_code == 401
    for token in ("counter-token", "other-case-token", "profile-token"):
        response = client.open(API + path, method=method, headers=bearer(token))
        assert response.status_code == 403, token
        assert response.get_json()["code"] == "forbidden"


@pytest.mark.parametrize("method, path, body, fields", [
    ("POST", "/applications", {"data": {}}, {"type_id"}),
    ("POST", "/applications", {"type_id": "Bad Id!", "data": []}, {"type_id", "data"}),
    ("POST", "/applications", {"type_id": "x", "on_behalf_of": {}},
     {"on_behalf_of.company_name", "on_behalf_of.role"}),
    ("PATCH", "/applications/a1", {}, {"data"}),
    ("POST", "/applications/a1/withdrawal", {"reason": ""}, {"reason"}),
    ("POST", "/applications/a1/answer", {"data": {}}, {"message"}),
])
def test_applicant_bodies_are_checked_before_any_service_is_asked(client, method, path,
                                                                  body, fields):
    response = client.open(API + path, method=method, json=body, headers=RESIDENT)
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
def test_transitions_say_what_they_need(client, body, fields):
    response = client.post(API + "/cases/a1/transitions", json=body,
                           headers=bearer("case-token"))
    assert response.status_code == 400
    assert {param["name"] for param in response.get_json()["invalid_params"]} == fields


@pytest.mark.parametrize("query, field", [("limit=0", "limit"), ("limit=101", "limit"),
                                          ("state=lost", "state"), ("overdue=maybe", "overdue")])
def test_the_queue_query_is_checked(client, query, field):
    response = client.get(API + "/cases?" + query, headers=bearer("case-token"))
    assert response.status_code == 400
    assert [param["name"] for param in response.get_json()["invalid_params"]] == [field]


def test_a_new_application_names_the_profile_as_applicant(client, rpc):
    body = {"type_id": "residents-parking", "data": {"licence_plate": "M-AB 123"},
            "on_behalf_of": {"company_name": "Beispiel GmbH", "role": "director"}}
    response = client.post(API + "/applications", json=body, headers=RESIDENT)
    assert response.status_code == 201
    assert rpc.calls[0] == ("get_own_profile", ("musterstadt", "profile-token"), {})
    assert rpc.permits_calls() == [("create_application", (
        "musterstadt", APPLICANT, "residents-parking", body["data"],
        body["on_behalf_of"]), {})]


@pytest.mark.parametrize("method, path, body, call", [
    ("GET", "/applications", None, ("my_applications", ("musterstadt", "p-123"))),
    ("GET", "/applications/a1", None, ("get_application", ("musterstadt", "p-123", "a1"))),
    ("PATCH", "/applications/a1", {"data": {"a": 1}},
     ("update_draft", ("musterstadt", APPLICANT, "a1", {"a": 1}))),
    ("POST", "/applications/a1/submission", None,
     ("submit_application", ("musterstadt", APPLICANT, "a1"))),
    ("POST", "/applications/a1/withdrawal", {"reason": "moved"},
     ("withdraw_application", ("musterstadt", APPLICANT, "a1", "moved"))),
    ("POST", "/applications/a1/answer", {"data": {"a": 2}, "message": "here"},
     ("answer_information_request", ("musterstadt", APPLICANT, "a1", {"a": 2}, "here"))),
])
def test_applicant_requests_map_onto_the_contract(client, rpc, method, path, body, call):
    response = client.open(API + path, method=method, json=body, headers=RESIDENT)
    assert response.status_code == 200
    assert rpc.permits_calls() == [(*call, {})]


def test_removing_an_attachment_is_204(client, rpc):
    response = client.delete(API + "/applications/a1/attachments/t1", headers=RESIDENT)
    assert response.status_code == 204
    assert rpc.permits_calls() == [("remove_attachment",
                                    ("musterstadt", APPLICANT, "a1", "t1"), {})]


def test_an_upload_goes_to_the_service_as_base64(client, rpc):
    response = client.post(API + "/applications/a1/attachments", headers=RESIDENT,
                           content_type="multipart/form-data",
                           data={"document_id": "vehicle_registration",
                                 "file": (io.BytesIO(PNG), "car.png")})
    assert response.status_code == 201
    assert rpc.permits_calls() == [("add_attachment", (
        "musterstadt", APPLICANT, "a1", "vehicle_registration", "car.png",
        base64.b64encode(PNG).decode()), {})]


@pytest.mark.parametrize("data, fields", [({"document_id": "x"}, {"file"}),
                                          ({}, {"document_id", "file"})])
def test_an_upload_needs_a_document_id_and_a_file(client, rpc, data, fields):
    response = client.post(API + "/applications/a1/attachments", headers=RESIDENT,
                           content_type="multipart/form-data", data=data)
    assert response.status_code == 400
    assert {param["name"] for param in response.get_json()["invalid_params"]} == fields
    assert rpc.permits_calls() == []


def test_a_too_large_upload_is_413_problem(app, client, rpc):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post(API + "/applications/a1/attachments", headers=RESIDENT,
                           content_type="multipart/form-data",
                           data={"document_id": "x",
                                 "file": (io.BytesIO(b"x" * 5000), "big.png")})
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["code"] == "request_too_large"
    assert rpc.permits_calls() == []


@pytest.mark.parametrize("path, headers, kwargs", [
    ("/applications/a1/attachments/t1", RESIDENT, {"applicant": APPLICANT}),
    ("/cases/a1/attachments/t1", bearer("case-token"),
     {"actor": actor("case-token", "case_worker")}),
])
def test_downloads_are_attachments_never_sniffed(client, rpc, path, headers, kwargs):
    response = client.get(API + path, headers=headers)
    assert response.status_code == 200
    assert response.get_data() == PNG
    assert response.mimetype == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert rpc.permits_calls() == [("get_attachment", ("musterstadt", "a1", "t1"), kwargs)]


def test_the_queue_resolves_me_and_passes_the_filters(client, rpc):
    response = client.get(API + "/cases?type_id=residents-parking&state=submitted"
                                "&assigned_to=me&overdue=false&after=c1",
                          headers=bearer("admin-token"))
    assert response.status_code == 200
    me = actor("admin-token", "case_worker")["subject"]
    assert rpc.permits_calls() == [("case_queue", ("musterstadt", {
        "type_id": "residents-parking", "state": "submitted", "assigned_to": me,
        "overdue": False, "after": "c1", "limit": 50}), {})]


def test_assignment_and_transitions_carry_the_actor(client, rpc):
    worker = actor("case-token", "case_worker")
    client.post(API + "/cases/a1/assignment", json={"assignee": "me"},
                headers=bearer("case-token"))
    client.post(API + "/cases/a1/assignment", json={"assignee": "token:0123456789abcdef"},
                headers=bearer("case-token"))
    request = {"message": "Which car?", "fields": ["licence_plate"]}
    client.post(API + "/cases/a1/transitions", headers=bearer("case-token"),
                json={"to": "information_requested", "information_request": request})
    client.post(API + "/cases/a1/transitions", headers=bearer("case-token"),
                json={"to": "approved", "reason": "All there."})
    assert rpc.permits_calls() == [
        ("assign_case", ("musterstadt", "a1", worker["subject"], worker), {}),
        ("assign_case", ("musterstadt", "a1", "token:0123456789abcdef", worker), {}),
        ("transition_case", ("musterstadt", "a1", "information_requested", None, worker),
         {"information_request": request}),
        ("transition_case", ("musterstadt", "a1", "approved", "All there.", worker),
         {"information_request": None}),
    ]


def test_permit_types_are_public(client, rpc):
    assert client.get(API + "/permit-types/residents-parking").status_code == 200
    assert rpc.permits_calls() == [("get_permit_type", ("musterstadt", "residents-parking"),
                                    {})]


def test_unknown_tenant_is_404_before_any_service(client, rpc):
    response = client.get("/api/v1/tenants/atlantis/applications", headers=RESIDENT)
    assert response.status_code == 404
    assert rpc.calls == []


def test_openapi_documents_every_permit_route(client):
    paths = client.get("/openapi.json").get_json()["paths"]
    prefix = "/api/v1/tenants/{tenant}"
    upload = paths[prefix + "/applications/{application_id}/attachments"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    assert upload["security"] == [{"profileToken": []}]
    assert paths[prefix + "/cases"]["get"]["security"] == [{"staffToken": []}]
    for method, path in APPLICANT_ROUTES + CASE_ROUTES:
        templated = prefix + path.replace("a1", "{application_id}").replace(
            "t1", "{attachment_id}")
        assert method.lower() in paths[templated], (method, path)


def test_uploads_are_rate_limited_per_address(client, rpc):
    from loket_gateway.rate_limits import UPLOAD_LIMIT

    allowed = int(UPLOAD_LIMIT.split("/")[0])
    statuses = [client.post(API + "/applications/a1/attachments", headers=RESIDENT,
                            content_type="multipart/form-data",
                            data={"document_id": "x", "file": (io.BytesIO(PNG), "a.png")}
                            ).status_code for _ in range(allowed + 1)]
    assert statuses == [201] * allowed + [429]
