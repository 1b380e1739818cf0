"""The admin pages' forms become API bodies (and stored entries become forms) correctly; the
service page shows and saves the LeiKa key."""
import pytest

from loket_common.errors import ValidationFailed
from loket_contracts.appointments.catalogue import AdminServiceSchema
from loket_contracts.fakes import shaped
from loket_gateway.catalogue.forms import (
    FormInvalid,
    cents_to_euro,
    closure_body,
    counter_rows,
    euro_to_cents,
    form_field,
    form_version,
    new_entry_id,
    office_body,
    office_form,
    service_body,
    service_form,
)

from .conftest import remote, sign_in

SERVICE_FORM = {
    "name-de": ["Reisepass"], "name-en": ["Passport"],
    "description-de": ["Beantragen"], "description-en": ["Apply"],
    "duration_minutes": ["20"], "fee": ["37,50"],
    "documents-de": ["Foto\n\nAlter Pass"], "documents-en": ["Photo\nOld passport\n"],
    "release_days_ahead": ["14"], "release_time": ["07:30"], "min_lead_minutes": ["60"],
    "max_active_bookings_per_person": ["1"], "release_mode": ["lottery"],
    "lottery_window_minutes": ["30"], "identity_required": ["substantial"],
    "service_key": ["99115005104000"],
}
TEXT = {"de": "Text", "en": "Text"}


def test_a_service_form_becomes_the_api_body_and_back():
    body = service_body(SERVICE_FORM)
    assert body == {
        "name": {"de": "Reisepass", "en": "Passport"},
        "description": {"de": "Beantragen", "en": "Apply"},
        "duration_minutes": 20, "fee_cents": 3750,
        "required_documents": [{"de": "Foto", "en": "Photo"},
                               {"de": "Alter Pass", "en": "Old passport"}],
        "booking_policy": {"release_days_ahead": 14, "release_time": "07:30",
                           "min_lead_minutes": 60, "max_active_bookings_per_person": 1,
                           "release_mode": "lottery", "lottery_window_minutes": 30},
        "identity_required": "substantial", "service_key": "99115005104000"}
    again = service_body(service_form(body))
    assert again == body


def test_a_service_without_a_required_sign_in_books_anonymously():
    body = service_body({**SERVICE_FORM, "identity_required": [""]})
    assert body["identity_required"] is None
    assert service_form(body)["identity_required"] == [""]


@pytest.mark.parametrize(("typed", "key"), [("", None), ("  ", None),
                                           ("99115 005 104000", "99115005104000")])
def test_the_leika_key_is_optional_and_typed_with_spaces(typed, key):
    body = service_body({**SERVICE_FORM, "service_key": [typed]})
    assert body["service_key"] == key
    assert service_form(body)["service_key"] == [key or ""]


@pytest.mark.parametrize(("changes", "names"), [
    ({"fee": ["12.345"]}, ["fee_cents"]),
    ({"fee": ["zwölf"]}, ["fee_cents"]),
    ({"duration_minutes": [""]}, ["duration_minutes"]),
    ({"documents-en": ["Photo"]}, ["required_documents"]),
    ({"min_lead_minutes": ["1h"]}, ["booking_policy.min_lead_minutes"]),
])
def test_unreadable_service_fields_are_named_as_the_api_names_them(changes, names):
    with pytest.raises(FormInvalid) as raised:
        service_body({**SERVICE_FORM, **changes})
    assert raised.value.names == names


@pytest.mark.parametrize(("euro", "cents"), [("0", 0), ("12", 1200), ("12,5", 1250),
                                             (" 37.50 ", 3750)])
def test_euro_become_cents(euro, cents):
    assert euro_to_cents(euro) == cents
    assert euro_to_cents(cents_to_euro(cents)) == cents


OFFICE_FORM = {
    "name-de": ["Rathaus"], "name-en": ["Town hall"], "street": ["Markt 1"],
    "postal_code": ["12345"], "city": ["Musterstadt"], "accessibility-de": ["Stufenlos"],
    "accessibility-en": ["Step-free"], "timezone": ["Europe/Berlin"],
    "service_ids": ["passport", "id-card"],
    "counters-0-id": ["c1"], "counters-0-name-de": ["Schalter 1"],
    "counters-0-name-en": ["Counter 1"], "counters-0-service_ids": ["passport"],
    "counters-1-id": [""], "counters-1-name-de": [""], "counters-1-name-en": [""],
    "opening_hours-mon-0-opens": ["08:00"], "opening_hours-mon-0-closes": ["12:00"],
    "opening_hours-mon-1-opens": ["14:00"], "opening_hours-mon-1-closes": ["18:00"],
    "opening_hours-tue-0-opens": [""], "opening_hours-tue-0-closes": [""],
}


def test_an_office_form_becomes_the_api_body_and_back():
    body = office_body(OFFICE_FORM)
    assert body == {
        "name": {"de": "Rathaus", "en": "Town hall"},
        "address": {"street": "Markt 1", "postal_code": "12345", "city": "Musterstadt"},
        "accessibility": {"de": "Stufenlos", "en": "Step-free"},
        "timezone": "Europe/Berlin", "service_ids": ["passport", "id-card"],
        "counters": [{"id": "c1", "name": {"de": "Schalter 1", "en": "Counter 1"},
                      "service_ids": ["passport"]}],
        "opening_hours": {"mon": [["08:00", "12:00"], ["14:00", "18:00"]]}}
    assert "closures" not in body  # they have their own resource
    assert office_body(office_form({**body, "closures": []})) == body


def test_half_an_interval_is_invalid_at_its_day():
    with pytest.raises(FormInvalid) as raised:
        office_body({**OFFICE_FORM, "opening_hours-tue-0-opens": ["09:00"]})
    assert raised.value.names == ["opening_hours.tue"]


def test_the_office_form_offers_empty_counter_rows():
    assert counter_rows(OFFICE_FORM) == 4
    assert counter_rows({}) == 2


def test_a_new_entry_needs_a_slug_id():
    assert new_entry_id({"id": [" passport-2 "]}) == "passport-2"
    for bad in ("", "Passport", "-x", "a b"):
        with pytest.raises(FormInvalid):
            new_entry_id({"id": [bad]})


def test_a_closure_form_becomes_the_api_body():
    form = {"date": ["2026-12-24"], "reason-de": ["Heiligabend"], "reason-en": ["Christmas"]}
    assert closure_body(form) == {"date": "2026-12-24",
                                  "reason": {"de": "Heiligabend", "en": "Christmas"}}


@pytest.mark.parametrize(("api_name", "field"), [
    ("name.de", "name-de"), ("duration_minutes", "duration_minutes"), ("fee_cents", "fee"),
    ("required_documents.0.en", "documents-de"), ("booking_policy.release_time", "release_time"),
    ("address.city", "city"), ("opening_hours", "opening_hours"),
    ("opening_hours.mon.value.0.1", "opening_hours-mon"),
    ("counters.1.name.en", "counters-1-name-en"),
    ("counters.c2.service_ids", "counters-1-service_ids"), ("service_ids", "service_ids"),
    ("reason.de", "reason-de"), ("date", "date"),
])
def test_api_error_names_point_at_form_fields(api_name, field):
    assert form_field(api_name, ["c1", "c2"]) == field


@pytest.mark.parametrize(("value", "version"), [("3", 3), (" 12 ", 12), ("", 0), (None, 0),
                                                ("x", 0), ("-1", 0), ("9" * 12, 0)])
def test_a_forms_version_is_a_number_or_never_matches(value, version):
    assert form_version(value) == version


def _admin_with_a_service(client, services, key):
    stored = {**service_body({**SERVICE_FORM, "identity_required": [""]}), "id": "passport",
              "service_key": key,
              "version": 3, "active": True}
    services.appointments.get_service.return_value = shaped(AdminServiceSchema, stored)
    sign_in(client, "staff", tenant="musterstadt", subject="staff:" + "0" * 32, name="Ada",
            roles=["tenant_admin"])
    return stored


def test_the_admin_page_shows_and_saves_the_leika_key(client, services, form_token):
    stored = _admin_with_a_service(client, services, "99115005104000")
    html = client.get("/de/admin/services/passport").get_data(as_text=True)
    assert 'id="service_key" name="service_key" type="text" value="99115005104000"' in html
    assert "LeiKa-Schlüssel (freiwillig)" in html
    form = {**service_form(stored), "service_key": ["99115 005 104001"], "version": ["3"],
            "csrf_token": [form_token]}
    response = client.post("/de/admin/services/passport", data=form)
    assert response.status_code == 303
    (_tenant, _id, body, version, _actor), _ = services.appointments.put_service.call_args
    assert (body["service_key"], version) == ("99115005104001", 3)


def test_a_leika_key_the_service_refuses_is_marked_on_the_form(client, services, form_token):
    stored = _admin_with_a_service(client, services, None)
    services.appointments.put_service.side_effect = remote(ValidationFailed(
        "Invalid request", invalid_params=[{"name": "service_key", "reason": "14 digits"}]))
    response = client.post("/de/admin/services/passport", data={
        **service_form(stored), "service_key": ["123"], "version": ["3"],
        "csrf_token": [form_token]})
    assert response.status_code == 400
    assert 'id="service_key" name="service_key" type="text" value="123" inputmode="numeric" ' \
           'aria-describedby="service_key-hint service_key-error" aria-invalid="true"' in \
           response.get_data(as_text=True)
