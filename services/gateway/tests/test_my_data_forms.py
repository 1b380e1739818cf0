"""Profile and business forms -> API bodies (pure, no services)."""
import pytest

from loket_gateway.my_data.forms import (
    FormInvalid,
    business_body,
    form_values,
    input_name,
    profile_body,
    stored_values,
)

FORM = {"given_name": " Anna ", "family_name": "Schmidt", "address.street": "Marktplatz",
        "address.house_number": "1", "address.postal_code": "12345",
        "address.city": "Musterstadt", "address.country": "", "email": "",
        "phone": "", "preferred_language": "de", "notification_channel": "email"}


def test_a_filled_form_becomes_a_full_change_with_cleared_fields_as_null():
    values = form_values(FORM, ("given_name", "family_name", "address", "email", "phone",
                                "preferred_language", "notification_channel"))
    assert values["given_name"] == "Anna"
    body = profile_body(values, {"given_name", "family_name"})
    assert body == {"given_name": "Anna", "family_name": "Schmidt",
                    "address": {"street": "Marktplatz", "house_number": "1",
                                "postal_code": "12345", "city": "Musterstadt"},
                    "email": None, "phone": None, "preferred_language": "de",
                    "notification_channel": "email"}


def test_missing_required_and_invalid_inputs_are_named_by_their_input():
    values = {**FORM, "family_name": "", "email": "not-an-email", "address.postal_code": "!",
              "address.city": ""}
    with pytest.raises(FormInvalid) as raised:
        profile_body(values, {"given_name", "family_name"})
    assert set(raised.value.names) == {"family_name", "email", "address.postal_code",
                                       "address.city"}


def test_stored_data_fills_the_inputs():
    values = stored_values({"given_name": "Anna", "address": {"city": "Musterstadt"},
                            "phone": None}, ("given_name", "address", "phone"))
    assert values["given_name"] == "Anna" and values["phone"] == ""
    assert values["address.city"] == "Musterstadt" and values["address.street"] == ""


def test_a_business_needs_its_name():
    with pytest.raises(FormInvalid) as raised:
        business_body({"company_name": "", "legal_form": "GmbH"})
    assert raised.value.names == ["company_name"]
    assert business_body({"company_name": "Schmidt GmbH", "legal_form": ""}) == {
        "company_name": "Schmidt GmbH", "address": None, "email": None}


def test_an_address_error_points_at_its_first_input():
    assert input_name("address") == "address.street"
    assert input_name("email") == "email"
