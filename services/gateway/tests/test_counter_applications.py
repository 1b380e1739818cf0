"""Applications entered at the counter: the API and the staff pages, against the fakes."""
import json

import pytest

from loket_gateway.core.openapi_document import generated
from loket_gateway.identity.subjects import staff_subject
from loket_permits.exceptions import DraftIncomplete

from . import answers
from .conftest import remote, sign_in

API = "/api/v1/tenants/musterstadt/counter/applications"
ISSUER, KEY = "http://127.0.0.1:9", "test-pseudonym-key"  # conftest's provider and key
CLERK = "staff:" + "0" * 32
BODY = {"type_id": "residents-parking", "data": {"licence_plate": "M-AB 123"},
        "applicant": {"name": "Erika Mustermann", "email": "erika@example.org"},
        "documents_seen": True}
INCOMPLETE = DraftIncomplete("The application is incomplete.", invalid_params=[
    {"name": "licence_plate", "reason": "Missing data for required field."},
    {"name": "documents.vehicle_registration", "reason": "This document is required."}])


@pytest.fixture
def rpc(services):
    permits = services.permits
    permits.enter_counter_application.return_value = answers.counter_receipt()
    permits.list_permit_types.return_value = [answers.permit_type_summary()]
    permits.get_permit_type.return_value = answers.permit_type()
    return permits


def as_staff(client, roles):
    sign_in(client, "staff", tenant="musterstadt", subject=CLERK, name="Sam Staff",
            roles=roles)
    return client


# -- API -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("role", "acting"), [("counter_staff", "counter_staff"),
                                              ("case_worker", "case_worker"),
                                              ("tenant_admin", "counter_staff")])
def test_counter_staff_and_case_workers_enter_an_application(client, rpc, tokens, role,
                                                             acting):
    token = tokens.bearer(tokens.staff(f"musterstadt:{role}", sub="demo-clerk"))
    response = client.post(API, json=BODY, headers=token)
    assert response.status_code == 201
    assert response.get_json()["reference"] == "PA-2026-000042"
    assert response.get_json()["channel"] == "counter"
    rpc.enter_counter_application.assert_called_once_with("musterstadt", {
        **BODY, "on_behalf_of": None,
        "applicant": {**BODY["applicant"], "address": None, "phone": None, "language": None}},
        {"subject": staff_subject(KEY, "musterstadt", ISSUER, "demo-clerk"),
         "name": "Sam Staff", "role": acting})


@pytest.mark.parametrize(("token", "status"), [(None, 401), ("resident", 403),
                                                ("operator", 403), ("other", 403)])
def test_others_may_not_enter_applications(client, services, tokens, token, status):
    bearer = {"resident": tokens.resident(), "operator": tokens.staff("*:operator"),
              "other": tokens.staff("beispielstadt:counter_staff")}.get(token)
    response = client.post(API, json=BODY,
                           headers=tokens.bearer(bearer) if bearer else {})
    assert response.status_code == status
    assert services.mock_calls == []


def test_a_body_without_the_residents_name_is_refused_before_any_call(client, services,
                                                                       tokens):
    response = client.post(API, json={**BODY, "applicant": {"email": "x@example.org"}},
                           headers=tokens.bearer(tokens.staff("musterstadt:counter_staff")))
    assert response.status_code == 400
    assert [item["name"] for item in response.get_json()["invalid_params"]] == [
        "applicant.name"]
    assert services.mock_calls == []


def test_answers_failing_the_form_come_back_as_the_residents_would(client, rpc, tokens):
    rpc.enter_counter_application.side_effect = remote(INCOMPLETE)
    response = client.post(API, json=BODY,
                           headers=tokens.bearer(tokens.staff("musterstadt:counter_staff")))
    assert response.status_code == 400
    assert response.get_json()["code"] == "application_incomplete"
    assert response.get_json()["invalid_params"] == INCOMPLETE.extra["invalid_params"]


# -- pages -----------------------------------------------------------------------------------
def test_the_signed_out_go_to_the_staff_sign_in(client, services):
    response = client.get("/en/counter/applications")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/en/staff/")
    assert services.mock_calls == []


@pytest.mark.parametrize("roles", [["counter_staff"], ["case_worker"]])
def test_staff_choose_the_type_and_get_its_form(client, rpc, roles):
    listing = as_staff(client, roles).get("/en/counter/applications")
    assert listing.status_code == 200
    assert 'href="/en/counter/applications/residents-parking"' in listing.text
    form = client.get("/en/counter/applications/residents-parking")
    assert form.status_code == 200
    for name in ("applicant.name", "applicant.address.street", "applicant.email",
                 "licence_plate", "documents_seen", "company.company_name"):
        assert f'name="{name}"' in form.text
    assert "For the permit." in form.text  # the field's why, as the resident's form shows


def test_a_failed_entry_keeps_every_value_and_marks_the_fields(client, rpc, form_token):
    rpc.enter_counter_application.side_effect = remote(DraftIncomplete(
        "The application is incomplete.", invalid_params=[
            *INCOMPLETE.extra["invalid_params"],
            {"name": "applicant.address.postal_code", "reason": "Not a postal code."}]))
    response = as_staff(client, ["counter_staff"]).post(
        "/en/counter/applications/residents-parking", data={
            "csrf_token": form_token, "applicant.name": "Erika Mustermann",
            "applicant.address.street": "Hauptstraße 1",
            "applicant.address.postal_code": "123", "applicant.phone": "+49 30 1234"})
    assert response.status_code == 400
    page = response.text
    assert 'value="Erika Mustermann"' in page and 'value="Hauptstraße 1"' in page
    assert 'value="+49 30 1234"' in page and 'value="123"' in page
    assert 'id="field-licence_plate" name="licence_plate"' in page
    assert page.count('aria-invalid="true"') == 3  # plate, postal code, documents
    assert 'id="applicant-address-postal_code-error"' in page
    assert 'id="applicant-name-error"' not in page
    assert "error-summary" in page


def test_an_entry_goes_to_a_printable_receipt(client, rpc, form_token):
    response = as_staff(client, ["counter_staff"]).post(
        "/en/counter/applications/residents-parking", data={
            "csrf_token": form_token, "applicant.name": "Erika Mustermann",
            "licence_plate": "M-AB 123", "documents_seen": "yes"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/en/counter/applications/receipt"
    entry = rpc.enter_counter_application.call_args.args[1]
    assert entry == {"type_id": "residents-parking", "data": {"licence_plate": "M-AB 123"},
                     "applicant": {"name": "Erika Mustermann"}, "on_behalf_of": None,
                     "documents_seen": True}
    assert rpc.enter_counter_application.call_args.args[2]["role"] == "counter_staff"
    receipt = client.get("/en/counter/applications/receipt")
    assert receipt.status_code == 200
    assert "PA-2026-000042" in receipt.text and "Residents&#39; parking permit" in receipt.text
    assert "We have received your application." in receipt.text
    assert rpc.enter_counter_application.call_count == 1  # the receipt re-sends nothing


def test_without_an_entry_the_receipt_page_goes_to_the_types(client, services):
    response = as_staff(client, ["counter_staff"]).get("/en/counter/applications/receipt")
    assert response.status_code == 303
    assert response.headers["Location"] == "/en/counter/applications"


def test_the_day_list_links_to_counter_applications(client, services):
    services.appointments.list_offices.return_value = []
    page = as_staff(client, ["counter_staff"]).get("/en/staff/day-list")
    assert page.status_code == 200
    assert 'href="/en/counter/applications"' in page.text


def test_the_route_is_in_the_openapi_document():
    paths = json.loads(generated())["paths"]
    operation = paths["/api/v1/tenants/{tenant}/counter/applications"]["post"]
    assert operation["security"] == [{"staffToken": []}]
    assert {"201", "400", "401", "403"} <= operation["responses"].keys()
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body["$ref"].endswith("/CounterEntry")


def test_case_workers_see_a_counter_cases_channel_and_contact(client, services):
    services.permits.get_case.return_value = answers.application(
        {"subject": "counter:" + "a" * 32, "name": "Erika Mustermann"}, state="submitted",
        channel="counter", documents_seen=True, applicant_contact={
            "address": {"street": "Hauptstraße 1", "postal_code": "12345",
                        "city": "Musterstadt"}, "email": None, "phone": "+49 30 1234"})
    services.permits.get_permit_type.return_value = answers.permit_type()
    services.notifications.messages_about.return_value = answers.case_messages()
    page = as_staff(client, ["case_worker"]).get("/en/staff/cases/a1")
    assert page.status_code == 200
    assert "At the counter" in page.text and "documents seen at the counter" in page.text
    assert "Hauptstraße 1, 12345 Musterstadt · +49 30 1234" in page.text
