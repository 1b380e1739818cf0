"""Counter staff count a finished counter transaction with no Loket case, with one click from
the day list (and through the API): process and channel, nothing about the person."""
from unittest.mock import call

import pytest
from nameko.exceptions import UnknownService

from loket_common.errors import ValidationFailed
from loket_contracts.appointments.catalogue import CatalogueSchema
from loket_contracts.fakes import shaped
from loket_contracts.statistics.schemas import CounterTransactionSchema, SettingsSchema

from . import answers
from .conftest import remote, sign_in

STAFF = "staff:" + "0" * 32
ACTOR = {"subject": STAFF, "role": "counter_staff"}  # no name: statistics keep no one's
DAY_LIST = "/de/staff/day-list?office=rathaus&date=2026-12-01"
BACK = {"office": "rathaus", "date": "2026-12-01", "counter": ""}
API = "/api/v1/tenants/musterstadt/counter-transactions"


def catalogue():
    """``CatalogueSchema``: the passport, the ID card, and a deactivated service."""
    service = answers.offices()[0]["services"][0]
    return shaped(CatalogueSchema, {"offices": [], "services": [
        {**service, "version": 1, "active": True},
        {**service, "id": "id-card", "name": answers.text("Personalausweis", "ID card"),
         "version": 2, "active": True},
        {**service, "id": "old-service", "name": answers.text("Alter Dienst", "Old service"),
         "version": 3, "active": False}]})


def settings(channels=("phone",)):
    return shaped(SettingsSchema, {"threshold": 5, "channels": list(channels),
                                   "expected_shares": {}, "version": 1})


@pytest.fixture
def counter(client, services):
    """A signed-in member of the counter staff; the services answer the day list."""
    services.appointments.list_offices.return_value = answers.offices()
    services.appointments.day_list.return_value = answers.day_list()
    services.appointments.list_catalogue.return_value = catalogue()
    services.permits.list_permit_types.return_value = [answers.permit_type_summary()]
    services.statistics.get_settings.return_value = settings()
    services.statistics.record_counter_transaction.return_value = shaped(
        CounterTransactionSchema, {"process": "appointments:passport", "channel": "counter",
                                   "id": "t-1", "recorded_at": answers.AT})
    sign_in(client, "staff", tenant="musterstadt", subject=STAFF, name="Sam Staff",
            roles=["counter_staff"])
    return client


def test_the_day_list_offers_a_button_per_office_service_and_every_process(counter):
    html = counter.get(DAY_LIST).get_data(as_text=True)
    assert "Abgeschlossenen Vorgang am Schalter zählen" in html
    assert html.count('action="/de/staff/counter-transactions"') == 2  # a button, the form
    assert "Vorgang erledigt: Reisepass" in html
    assert '<input type="hidden" name="process" value="appointments:passport">' in html
    assert '<option value="appointments:id-card">Personalausweis</option>' in html
    assert '<option value="permits:residents-parking">Bewohnerparkausweis</option>' in html
    assert "old-service" not in html  # deactivated
    assert '<option value="counter">am Schalter</option>' in html
    assert '<option value="phone">telefonisch</option>' in html
    assert html.index("Abgeschlossenen Vorgang") > html.index("Termine am")  # near the bottom


def test_the_day_list_works_while_statistics_and_permits_are_down(counter, services, caplog):
    services.statistics.get_settings.side_effect = UnknownService("statistics")
    services.permits.list_permit_types.side_effect = ConnectionResetError()
    page = counter.get(DAY_LIST)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<option value="counter">am Schalter</option>' in html
    assert 'value="phone"' not in html and "permits:" not in html
    assert "Vorgang erledigt: Reisepass" in html
    assert "a list for counting counter transactions failed" in caplog.text


@pytest.mark.parametrize(("sent", "counted", "shown"), [
    ({"process": "appointments:passport", "channel": "counter"},
     {"process": "appointments:passport", "channel": "counter"},
     "Gezählt: Reisepass (am Schalter)."),
    ({"process": "permits:residents-parking", "channel": "phone"},
     {"process": "permits:residents-parking", "channel": "phone"},
     "Gezählt: Bewohnerparkausweis (telefonisch)."),
    ({"process": "appointments:passport"},
     {"process": "appointments:passport", "channel": "counter"}, "Gezählt: Reisepass"),
])
def test_one_click_counts_and_the_day_list_confirms_it(counter, services, form_token, sent,
                                                       counted, shown):
    response = counter.post("/de/staff/counter-transactions",
                            data={"csrf_token": form_token, **BACK, **sent})
    assert response.status_code == 303
    assert response.headers["Location"] == DAY_LIST + "&counter="
    assert services.statistics.record_counter_transaction.call_args_list == [
        call("musterstadt", counted, ACTOR)]
    html = counter.get(response.headers["Location"]).get_data(as_text=True)
    assert f'role="status"><p>{shown}' in html


def test_a_process_the_service_does_not_know_is_shown_on_the_day_list(counter, services,
                                                                     form_token):
    services.statistics.record_counter_transaction.side_effect = remote(
        ValidationFailed("Unknown process.", invalid_params=[{"name": "process",
                                                              "reason": "unknown"}]))
    response = counter.post("/de/staff/counter-transactions", data={
        "csrf_token": form_token, **BACK, "process": "appointments:gone"})
    assert response.status_code == 303
    html = counter.get(response.headers["Location"]).get_data(as_text=True)
    assert 'role="alert"><p>Bitte prüfen Sie Ihre Angaben.' in html and "Gezählt:" not in html


@pytest.mark.parametrize("sent", [{"process": "bookings:x"}, {},
                                  {"process": "appointments:passport", "channel": "pigeon"}])
def test_a_malformed_choice_is_refused_before_any_service(counter, services, form_token, sent):
    response = counter.post("/de/staff/counter-transactions",
                            data={"csrf_token": form_token, **BACK, **sent})
    assert response.status_code == 303
    services.statistics.record_counter_transaction.assert_not_called()
    assert 'role="alert"' in counter.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize("down", [UnknownService("statistics"), ConnectionResetError()])
def test_statistics_down_is_the_503_page(counter, services, form_token, down):
    services.statistics.record_counter_transaction.side_effect = down
    response = counter.post("/de/staff/counter-transactions", data={
        "csrf_token": form_token, **BACK, "process": "appointments:passport"})
    assert response.status_code == 503
    assert "text/html" in response.content_type
    assert response.headers["Retry-After"]


def test_counting_needs_the_csrf_token_and_the_counter_role(client, services, form_token):
    sign_in(client, "staff", tenant="musterstadt", subject=STAFF, name="Sam",
            roles=["counter_staff"])
    assert client.post("/de/staff/counter-transactions", data={
        "process": "appointments:passport"}).status_code == 400
    sign_in(client, "staff", tenant="musterstadt", subject=STAFF, name="Sam",
            roles=["case_worker"])
    assert client.post("/de/staff/counter-transactions", data={
        "csrf_token": form_token, "process": "appointments:passport"}).status_code == 403
    services.statistics.record_counter_transaction.assert_not_called()


# -- the API -----------------------------------------------------------------------------------
def test_the_api_counts_with_a_counter_staff_token(client, services, tokens):
    services.statistics.record_counter_transaction.return_value = shaped(
        CounterTransactionSchema, {"process": "permits:residents-parking", "channel": "post",
                                   "id": "t-2", "recorded_at": answers.AT})
    response = client.post(API, json={"process": "permits:residents-parking", "channel": "post"},
                           headers=tokens.bearer(tokens.staff("musterstadt:counter_staff")))
    assert response.status_code == 201
    assert response.get_json()["id"] == "t-2"
    (tenant, body, actor), _ = services.statistics.record_counter_transaction.call_args
    assert (tenant, body) == ("musterstadt", {"process": "permits:residents-parking",
                                              "channel": "post"})
    assert set(actor) == {"subject", "role"} and actor["role"] == "counter_staff"


def test_the_api_refuses_the_unsigned_other_roles_and_bad_bodies(client, services, tokens):
    assert client.post(API, json={"process": "appointments:passport"}).status_code == 401
    worker = tokens.bearer(tokens.staff("musterstadt:case_worker"))
    assert client.post(API, json={"process": "appointments:passport"},
                       headers=worker).status_code == 403
    staff = tokens.bearer(tokens.staff("musterstadt:counter_staff"))
    bad = client.post(API, json={"process": "x", "channel": "pigeon", "name": "Erika"},
                      headers=staff)
    assert bad.status_code == 400
    assert {param["name"] for param in bad.get_json()["invalid_params"]} == {
        "process", "channel", "name"}
    services.statistics.record_counter_transaction.assert_not_called()


def test_the_api_passes_the_services_refusal_and_its_absence_on(client, services, tokens):
    staff = tokens.bearer(tokens.staff("musterstadt:counter_staff"))
    services.statistics.record_counter_transaction.side_effect = remote(
        ValidationFailed("Unknown process."))
    refused = client.post(API, json={"process": "appointments:gone"}, headers=staff)
    assert (refused.status_code, refused.get_json()["code"]) == (400, "validation_failed")
    services.statistics.record_counter_transaction.side_effect = UnknownService("statistics")
    down = client.post(API, json={"process": "appointments:passport"}, headers=staff)
    assert (down.status_code, down.get_json()["code"]) == (503, "service_unavailable")


def test_the_api_route_is_in_the_openapi_document(client):
    spec = client.get("/openapi.json").get_json()
    post = spec["paths"]["/api/v1/tenants/{tenant}/counter-transactions"]["post"]
    assert {"201", "400", "401", "403", "503"} <= set(post["responses"])
    assert post["security"] == [{"staffToken": []}]
