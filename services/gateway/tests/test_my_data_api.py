"""The residents' own-data API (``/me``) at the gateway's edge.

The resident comes from :func:`loket_gateway.identity.access.api_resident` (replaced here by a
fixed resident, so no identity provider is needed); the body -> RPC mapping is checked
against a fake of the services' RPC interface (not of the broker).
"""
import json
from contextlib import contextmanager

import pytest

from loket_gateway.identity.access import Resident
from loket_gateway.my_data import api as my_data_api

API = "/api/v1/tenants/musterstadt"
ANNA = Resident(tenant="musterstadt", subject="s-anna", trust_level="substantial",
                name="Anna Schmidt", email="anna.schmidt@example.org")
CONSENTS = [{"purpose": "newsletter", "title_de": "Newsletter", "title_en": "Newsletter",
             "text_de": "", "text_en": "", "given": True, "given_at": "2026-11-23T10:00:00",
             "withdrawn_at": None}]
ANSWERS = {
    "profile": {"get_profile": {"subject": "s-anna", "given_name": "Anna"},
                "list_consents": CONSENTS, "give_consent": CONSENTS[0],
                "withdraw_consent": {**CONSENTS[0], "given": False},
                "export_subject": {"profile": {"given_name": "Anna"}},
                "request_erasure": {"id": "e1", "state": "in_progress"},
                "erasure_status": None},
    "appointments": {"export_subject": {"bookings": [{"reference": "ABCD"}]},
                     "list_own_bookings": [{"reference": "ABCD"}]},
    "permits": {"export_subject": {"applications": []}},
}


class FakeService:
    """Records calls; answers each with ``answers[name]`` or the call itself."""

    def __init__(self, service, calls, answers):
        self.service, self.calls, self.answers = service, calls, answers

    def __getattr__(self, name):
        def call(*args):
            self.calls.append((f"{self.service}.{name}", args))
            return self.answers.get(name, {"called": name})
        return call


class FakeRpc:
    def __init__(self):
        self.calls = []
        for service, answers in ANSWERS.items():
            setattr(self, service, FakeService(service, self.calls, dict(answers)))

    @contextmanager
    def services(self):
        yield self


@pytest.fixture
def rpc(app):
    fake = FakeRpc()
    app.extensions["loket_rpc"] = fake
    return fake


@pytest.fixture
def levels(monkeypatch):
    """The resident ANNA for every token; records the minimum level each route asked."""
    asked = []

    def resident(tenant, minimum="low"):
        asked.append((tenant, minimum))
        return ANNA
    monkeypatch.setattr(my_data_api, "api_resident", resident)
    return asked


ROUTES = [("GET", "/me"), ("PATCH", "/me"), ("GET", "/me/businesses"),
          ("POST", "/me/businesses"), ("PUT", "/me/businesses/b1"), ("GET", "/me/consents"),
          ("PUT", "/me/consents/newsletter"), ("DELETE", "/me/consents/newsletter"),
          ("GET", "/me/access-log"), ("GET", "/me/appointments"), ("GET", "/me/export"),
          ("POST", "/me/erasure"), ("GET", "/me/erasure")]


def test_every_me_route_is_documented_with_the_profile_token(client):
    spec = client.get("/openapi.json").get_json()
    for method, path in ROUTES:
        documented = spec["paths"][("/api/v1/tenants/{tenant}" + path).replace(
            "b1", "{business_id}").replace("newsletter", "{purpose}")][method.lower()]
        assert documented["security"] == [{"residentToken": []}], (method, path)
        assert "401" in documented["responses"] and "403" in documented["responses"]


def test_openapi_explains_why_each_profile_and_business_field_is_asked(client):
    schemas = client.get("/openapi.json").get_json()["components"]["schemas"]
    for name in ("ProfileUpdate", "BusinessPayload", "PostalAddress"):
        for field, described in schemas[name]["properties"].items():
            assert described.get("description"), (name, field)
    assert "/api/v1/tenants/{tenant}/profiles" not in client.get("/openapi.json").get_json()[
        "paths"], "the interim profile routes are gone"


@pytest.mark.parametrize("method, path", ROUTES)
def test_every_me_route_needs_a_token_before_any_rpc(client, rpc, method, path):
    response = client.open(API + path, method=method, json={})
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["code"] == "not_authenticated"
    assert rpc.calls == []


def test_unknown_tenant_is_404_before_the_token(client, rpc):
    response = client.get("/api/v1/tenants/atlantis/me")
    assert response.status_code == 404
    assert response.get_json()["code"] == "unknown_tenant"


def test_my_profile_is_the_tokens_subjects(client, rpc, levels):
    response = client.get(API + "/me")
    assert response.status_code == 200
    assert response.get_json()["given_name"] == "Anna"
    assert rpc.calls == [("profile.get_profile", ("musterstadt", "s-anna"))]
    assert levels == [("musterstadt", "low")]


def test_a_profile_change_is_checked_field_by_field_before_any_rpc(client, rpc, levels):
    response = client.patch(API + "/me", json={
        "given_name": "", "email": "nope", "preferred_language": "fr",
        "notification_channel": "pigeon", "address": {"postal_code": "!"}, "subject": "s-ben"})
    assert response.status_code == 400
    body = response.get_json()
    assert body["code"] == "validation_failed"
    assert {param["name"] for param in body["invalid_params"]} == {
        "given_name", "email", "preferred_language", "notification_channel",
        "address.street", "address.house_number", "address.postal_code", "address.city",
        "subject"}
    assert rpc.calls == []


def test_a_profile_change_passes_only_the_sent_fields(client, rpc, levels):
    change = {"family_name": "Schmidt-Weber", "address": {
        "street": "Marktplatz", "house_number": "1", "postal_code": "12345",
        "city": "Musterstadt"}}
    response = client.patch(API + "/me", json=change)
    assert response.status_code == 200
    assert rpc.calls == [("profile.update_profile", ("musterstadt", "s-anna", change))]


def test_a_body_that_is_not_json_is_a_400(client, rpc, levels):
    response = client.patch(API + "/me", data="x", content_type="text/plain")
    assert response.status_code == 400
    assert response.get_json()["code"] == "validation_failed"


def test_businesses_are_created_and_replaced_as_mine(client, rpc, levels):
    business = {"company_name": "Schmidt GmbH", "legal_form": "GmbH"}
    assert client.post(API + "/me/businesses", json=business).status_code == 201
    assert client.put(API + "/me/businesses/b1", json=business).status_code == 200
    assert rpc.calls == [("profile.save_business", ("musterstadt", "s-anna", None, business)),
                         ("profile.save_business", ("musterstadt", "s-anna", "b1", business))]
    missing = client.post(API + "/me/businesses", json={"legal_form": "GmbH"})
    assert missing.status_code == 400
    assert [p["name"] for p in missing.get_json()["invalid_params"]] == ["company_name"]


def test_consents_are_given_and_withdrawn_for_the_paths_purpose(client, rpc, levels):
    given = client.put(API + "/me/consents/newsletter")
    assert given.status_code == 200 and given.get_json()["purpose"] == "newsletter"
    withdrawn = client.delete(API + "/me/consents/newsletter")
    assert withdrawn.status_code == 200 and withdrawn.get_json()["given"] is False
    assert rpc.calls == [("profile.give_consent", ("musterstadt", "s-anna", "newsletter")),
                         ("profile.withdraw_consent", ("musterstadt", "s-anna", "newsletter"))]


def test_a_purpose_that_is_no_slug_is_a_400_before_any_rpc(client, rpc, levels):
    bad = client.put(API + "/me/consents/NEWS%20letter")
    assert bad.status_code == 400
    assert bad.get_json()["invalid_params"][0]["name"] == "purpose"
    assert rpc.calls == []


def test_access_log_and_appointments_are_read_for_the_subject(client, rpc, levels):
    assert client.get(API + "/me/access-log").status_code == 200
    assert client.get(API + "/me/appointments").get_json() == [{"reference": "ABCD"}]
    assert rpc.calls == [("profile.access_log", ("musterstadt", "s-anna")),
                         ("appointments.list_own_bookings", ("musterstadt", "s-anna"))]


def test_the_export_is_one_json_file_with_every_services_part(client, rpc, levels):
    response = client.get(API + "/me/export")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"
    document = json.loads(response.get_data(as_text=True))
    assert document["tenant"] == "musterstadt" and document["subject"] == "s-anna"
    assert document["generated_at"]
    assert document["services"] == {
        "profile": {"profile": {"given_name": "Anna"}},
        "appointments": {"bookings": [{"reference": "ABCD"}]},
        "permits": {"applications": []}}
    assert levels == [("musterstadt", "substantial")]


def test_erasure_is_accepted_at_the_erasure_level_and_its_progress_readable(client, rpc,
                                                                           levels):
    assert client.get(API + "/me/erasure").get_json()["code"] == "no_erasure_request"
    requested = client.post(API + "/me/erasure")
    assert requested.status_code == 202
    assert requested.get_json()["state"] == "in_progress"
    assert levels == [("musterstadt", "low"), ("musterstadt", "substantial")]
    rpc.profile.answers["erasure_status"] = {"id": "e1", "state": "completed"}
    assert client.get(API + "/me/erasure").get_json()["state"] == "completed"


def test_a_resident_who_only_used_the_api_gets_a_profile_from_the_tokens_claims(
        app, client, tokens, monkeypatch):
    """No profile yet (never signed in on the pages): sign_in makes one, then it is read."""
    from nameko.exceptions import RemoteError

    from loket_profile.exceptions import ProfileNotFound

    class Profile:
        def __init__(self):
            self.calls, self.signed_in = [], False

        def get_profile(self, tenant, subject):
            self.calls.append("get_profile")
            if not self.signed_in:
                raise RemoteError("ProfileNotFound", str(ProfileNotFound("No profile.")))
            return {"subject": subject, "given_name": "Anna"}

        def sign_in(self, tenant, subject, claims):
            self.calls.append(("sign_in", claims))
            self.signed_in = True

    class Rpc:
        profile = Profile()

        @contextmanager
        def services(self):
            yield self

    fake = Rpc()
    app.extensions["loket_rpc"] = fake
    monkeypatch.setattr(my_data_api, "api_resident", lambda tenant, minimum="low": ANNA)
    response = client.get(API + "/me", headers=tokens.bearer(tokens.resident()))
    assert response.status_code == 200 and response.get_json()["given_name"] == "Anna"
    assert fake.profile.calls == ["get_profile", ("sign_in", {
        "given_name": "Anna", "family_name": "Schmidt", "email": ANNA.email,
        "trust_level": "substantial"}), "get_profile"]


def test_real_tokens_decide_who_is_asking(client, rpc, tokens):
    """Signed access tokens: a resident's subject is derived from it; staff and low are refused."""
    anna = client.get(API + "/me", headers=tokens.bearer(tokens.resident()))
    assert anna.status_code == 200
    subject = rpc.calls[0][1][1]
    assert subject.startswith("r-") and len(subject) == 34
    ben = client.get(API + "/me", headers=tokens.bearer(tokens.resident(sub="demo-ben")))
    assert rpc.calls[1][1][1] != subject and ben.status_code == 200
    staff = client.get(API + "/me", headers=tokens.bearer(tokens.staff("case_worker")))
    assert staff.status_code == 403 and staff.get_json()["code"] == "forbidden"
    other_town = client.get(API + "/me", headers=tokens.bearer(
        tokens.resident(tenant="beispielstadt")))
    assert other_town.status_code == 403
    low = client.get(API + "/me/export", headers=tokens.bearer(tokens.resident(level="low")))
    assert low.status_code == 403 and low.get_json()["code"] == "trust_level_too_low"
    assert len(rpc.calls) == 2
