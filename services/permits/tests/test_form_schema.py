import pytest

from loket_common.errors import ValidationFailed
from loket_permits.form_schema import checked_data
from loket_permits.type_catalogue import TypeCatalogue

TYPES = TypeCatalogue.load()
PARKING = TYPES.get("musterstadt", "residents-parking")
SPECIAL_USE = TYPES.get("musterstadt", "special-use")
COMPLETE = {"licence_plate": "M-AB 1234", "vehicle_holder": "Erika Mustermann",
            "address": {"street": "Hauptstraße 1", "postal_code": "12345", "city": "Musterstadt"},
            "zone": "A", "duration_months": 12}


def names(error):
    return {param["name"] for param in error.value.extra["invalid_params"]}


def test_a_draft_already_refuses_a_malformed_value_and_names_the_field():
    with pytest.raises(ValidationFailed) as refused:
        checked_data(PARKING, {"licence_plate": "!!! no plate !!!"}, "draft")
    assert [item["name"] for item in refused.value.extra["invalid_params"]] == [
        "licence_plate"]


def test_a_draft_may_be_incomplete():
    assert checked_data(PARKING, {"zone": "A"}, "draft") == {"zone": "A"}


def test_a_draft_still_checks_types_and_names_the_field():
    with pytest.raises(ValidationFailed) as error:
        checked_data(PARKING, {"duration_months": "twelve", "address": {"city": 3}}, "draft")
    assert names(error) == {"duration_months", "address.city"}


def test_unknown_fields_are_rejected():
    with pytest.raises(ValidationFailed) as error:
        checked_data(PARKING, {"colour": "red"}, "draft")
    assert names(error) == {"colour"}


def test_submit_enforces_required_fields_and_validation():
    with pytest.raises(ValidationFailed) as error:
        checked_data(PARKING, {**COMPLETE, "licence_plate": "not a plate", "zone": "Z",
                               "duration_months": 40, "vehicle_holder": None}, "submit")
    assert names(error) == {"licence_plate", "zone", "duration_months", "vehicle_holder"}
    assert checked_data(PARKING, COMPLETE, "submit")["licence_plate"] == "M-AB 1234"


@pytest.mark.parametrize("plate", ["M-AB 1234", "B-C 1", "HH AB 123E", "LÖ-XY 99H"])
def test_german_licence_plates(plate):
    assert checked_data(PARKING, {**COMPLETE, "licence_plate": plate}, "submit")


@pytest.mark.parametrize("plate", ["m-ab 1234", "ABCD-E 1", "M-AB 0123", "M-AB 12345"])
def test_malformed_licence_plates(plate):
    with pytest.raises(ValidationFailed):
        checked_data(PARKING, {**COMPLETE, "licence_plate": plate}, "submit")


def test_dates_and_decimals_are_stored_as_strings():
    stored = checked_data(SPECIAL_USE, {"area_m2": 12.5, "from_date": "2026-12-01"}, "draft")
    assert stored == {"area_m2": "12.50", "from_date": "2026-12-01"}


def test_other_field_types():
    business = TYPES.get("musterstadt", "business-registration")
    with pytest.raises(ValidationFailed) as error:
        checked_data(business, {"register_number": "123", "legal_form": "gmbh"}, "submit")
    assert "register_number" in names(error) and "company_name" in names(error)
    id_card = TYPES.get("musterstadt", "id-card")
    with pytest.raises(ValidationFailed) as error:
        checked_data(id_card, {"email": "no-at-sign"}, "draft")
    assert names(error) == {"email"}
