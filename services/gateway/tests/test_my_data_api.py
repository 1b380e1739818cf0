"""The residents' own-data API (``/me``) at the gateway's edge.

The resident comes from :func:`loket_gateway.identity.access.api_resident` (replaced here by a
fixed resident, so no identity provider is needed); the body -> RPC mapping is checked
against the conftest's fakes of the services' Protocols (not of the broker).
"""
import json
from unittest.mock import call

import pytest

from loket_gateway.identity import access
from loket_gateway.identity.access import Resident
from loket_profile.exceptions import ProfileNotFound

from . import answers
from .conftest import remote

API = "/api/v1/tenants/musterstadt"
ANNA = Resident(tenant="musterstadt", subject="s-anna", trust_level="substantial",
                name="Anna Schmidt", email="anna.schmidt@example.org")
EXPORTS = {"profile": {"profile": {"given_name": "Anna"}},
           "appointments": {"bookings": [{"reference": "ABCD"}]},
           "permits": {"applications": []},
           "notifications": {"messages": [{"id": "m1", "kind": "booking_confirmed"}]}}


def changed_profile(tenant, subject, change):
    """The profile service's answer to ``update_profile``: the profile with ``change``."""
    if change.get("address"):
        change = {**change, "address": {"country": "DE", **change["address"]}}
    return answers.profile(subject, **change)


def saved_business(tenant, subject, business_id, payload):
    """The profile service's answer to ``save_business``: a new one gets an id."""
    return answers.business(business_id or "b2", subject, **payload)


@pytest.fixture
def rpc(services):
    """The services' fakes, answering as the real services do for Anna."""
    profile = services.profile
    profile.get_profile.return_value = answers.profile()
    profile.update_profile.side_effect = changed_profile
    profile.save_business.side_effect = saved_business
    profile.list_consents.return_value = [answers.consent()]
    profile.give_consent.return_value = answers.consent()
    profile.withdraw_consent.return_value = answers.consent(given=False)
    profile.access_log.return_value = answers.access_log()
    profile.request_erasure.return_value = answers.erasure("in_progress")
    profile.erasure_status.return_value = None
    services.appointments.list_own_bookings.return_value = [answers.booking("ABCD")]
    for service, exported in EXPORTS.items():
        getattr(services, service).export_subject.return_value = exported
    return services


@pytest.fixture
def levels(monkeypatch):
    """The resident ANNA for every token; records the minimum level each route asked."""
    asked = []

    def resident(tenant, minimum="low"):
        asked.append((tenant, minimum))
        return ANNA
    monkeypatch.setattr(access, "api_resident", resident)
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
    assert rpc.mock_calls == []


def test_unknown_tenant_is_404_before_the_token(client, rpc):
    response = client.get("/api/v1/tenants/atlantis/me")
    assert response.status_code == 404
    assert response.get_json()["code"] == "unknown_tenant"


def test_my_profile_is_the_tokens_subjects(client, rpc, levels):
    response = client.get(API + "/me")
    assert response.status_code == 200
    assert response.get_json()["given_name"] == "Anna"
    assert rpc.mock_calls == [call.profile.get_profile("musterstadt", "s-anna")]
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
    assert rpc.mock_calls == []


def test_a_profile_change_passes_only_the_sent_fields(client, rpc, levels):
    change = {"family_name": "Schmidt-Weber", "address": {
        "street": "Marktplatz", "house_number": "1", "postal_code": "12345",
        "city": "Musterstadt"}}
    response = client.patch(API + "/me", json=change)
    assert response.status_code == 200
    assert rpc.mock_calls == [call.profile.update_profile("musterstadt", "s-anna", change)]
    assert response.get_json()["family_name"] == "Schmidt-Weber"


def test_a_body_that_is_not_json_is_a_400(client, rpc, levels):
    response = client.patch(API + "/me", data="x", content_type="text/plain")
    assert response.status_code == 400
    assert response.get_json()["code"] == "validation_failed"


def test_businesses_are_created_and_replaced_as_mine(client, rpc, levels):
    business = {"company_name": "Schmidt GmbH", "legal_form": "GmbH"}
    assert client.post(API + "/me/businesses", json=business).status_code == 201
    assert client.put(API + "/me/businesses/b1", json=business).status_code == 200
    assert rpc.mock_calls == [
        call.profile.save_business("musterstadt", "s-anna", None, business),
        call.profile.save_business("musterstadt", "s-anna", "b1", business)]
    missing = client.post(API + "/me/businesses", json={"legal_form": "GmbH"})
    assert missing.status_code == 400
    assert [p["name"] for p in missing.get_json()["invalid_params"]] == ["company_name"]


def test_consents_are_given_and_withdrawn_for_the_paths_purpose(client, rpc, levels):
    given = client.put(API + "/me/consents/newsletter")
    assert given.status_code == 200 and given.get_json()["purpose"] == "newsletter"
    withdrawn = client.delete(API + "/me/consents/newsletter")
    assert withdrawn.status_code == 200 and withdrawn.get_json()["given"] is False
    assert rpc.mock_calls == [
        call.profile.give_consent("musterstadt", "s-anna", "newsletter"),
        call.profile.withdraw_consent("musterstadt", "s-anna", "newsletter")]


def test_a_purpose_that_is_no_slug_is_a_400_before_any_rpc(client, rpc, levels):
    bad = client.put(API + "/me/consents/NEWS%20letter")
    assert bad.status_code == 400
    assert bad.get_json()["invalid_params"][0]["name"] == "purpose"
    assert rpc.mock_calls == []


def test_access_log_and_appointments_are_read_for_the_subject(client, rpc, levels):
    access_log = client.get(API + "/me/access-log")
    assert access_log.status_code == 200
    assert access_log.get_json() == answers.access_log()
    appointments = client.get(API + "/me/appointments").get_json()
    assert [booking["reference"] for booking in appointments] == ["ABCD"]
    assert rpc.mock_calls == [call.profile.access_log("musterstadt", "s-anna"),
                              call.appointments.list_own_bookings("musterstadt", "s-anna")]


def test_the_export_is_one_json_file_with_every_services_part(client, rpc, levels):
    response = client.get(API + "/me/export")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"
    document = json.loads(response.get_data(as_text=True))
    assert document["tenant"] == "musterstadt" and document["subject"] == "s-anna"
    assert document["generated_at"]
    assert document["services"] == EXPORTS
    for service in EXPORTS:
        getattr(rpc, service).export_subject.assert_called_once_with("musterstadt", "s-anna")
    assert levels == [("musterstadt", "substantial")]


def test_erasure_is_accepted_at_the_erasure_level_and_its_progress_readable(client, rpc,
                                                                           levels):
    assert client.get(API + "/me/erasure").get_json()["code"] == "no_erasure_request"
    requested = client.post(API + "/me/erasure")
    assert requested.status_code == 202
    assert requested.get_json()["state"] == "in_progress"
    assert levels == [("musterstadt", "low"), ("musterstadt", "substantial")]
    rpc.profile.request_erasure.assert_called_once_with("musterstadt", "s-anna")
    rpc.profile.erasure_status.return_value = answers.erasure("completed")
    assert client.get(API + "/me/erasure").get_json()["state"] == "completed"


def test_a_resident_who_only_used_the_api_gets_a_profile_from_the_tokens_claims(
        app, client, tokens, monkeypatch, services):
    """No profile yet (never signed in on the pages): sign_in makes one, then it is read."""
    profile = services.profile
    profile.get_profile.side_effect = [remote(ProfileNotFound("No profile.")),
                                       answers.profile(ANNA.subject)]
    profile.sign_in.return_value = answers.profile(ANNA.subject)
    monkeypatch.setattr(access, "api_resident", lambda tenant, minimum="low": ANNA)
    response = client.get(API + "/me", headers=tokens.bearer(tokens.resident()))
    assert response.status_code == 200 and response.get_json()["given_name"] == "Anna"
    assert services.mock_calls == [
        call.profile.get_profile("musterstadt", ANNA.subject),
        call.profile.sign_in("musterstadt", ANNA.subject, {
            "given_name": "Anna", "family_name": "Schmidt", "email": ANNA.email,
            "trust_level": "substantial"}),
        call.profile.get_profile("musterstadt", ANNA.subject)]


def test_real_tokens_decide_who_is_asking(client, rpc, tokens):
    """Signed access tokens: a resident's subject is derived from it; staff and low are refused."""
    anna = client.get(API + "/me", headers=tokens.bearer(tokens.resident()))
    assert anna.status_code == 200
    tenant, subject = rpc.profile.get_profile.call_args.args
    assert subject.startswith("r-") and len(subject) == 34
    ben = client.get(API + "/me", headers=tokens.bearer(tokens.resident(sub="demo-ben")))
    assert rpc.profile.get_profile.call_args.args[1] != subject and ben.status_code == 200
    staff = client.get(API + "/me", headers=tokens.bearer(tokens.staff("case_worker")))
    assert staff.status_code == 403 and staff.get_json()["code"] == "forbidden"
    other_town = client.get(API + "/me", headers=tokens.bearer(
        tokens.resident(tenant="beispielstadt")))
    assert other_town.status_code == 403
    low = client.get(API + "/me/export", headers=tokens.bearer(tokens.resident(level="low")))
    assert low.status_code == 403 and low.get_json()["code"] == "trust_level_too_low"
    assert len(rpc.mock_calls) == 2
