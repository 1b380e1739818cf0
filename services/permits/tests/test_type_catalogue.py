import shutil
from pathlib import Path

import pytest

from loket_common.errors import NotFound
from loket_permits.type_catalogue import DEFAULT_DIRECTORY, DefinitionError, TypeCatalogue

FIVE = ["business-registration", "id-card", "registration-of-move", "residents-parking",
        "special-use"]


@pytest.fixture(scope="module")
def catalogue():
    return TypeCatalogue.load()


@pytest.fixture
def definitions(tmp_path):
    """A copy of the shipped definitions to break."""
    target = tmp_path / "definitions"
    shutil.copytree(DEFAULT_DIRECTORY, target)
    return target


def test_musterstadt_offers_all_five_with_german_and_english_texts(catalogue):
    types = catalogue.types("musterstadt")
    assert [item["id"] for item in types] == FIVE
    for permit_type in types:
        for field in permit_type["fields"]:
            assert field["label"]["de"] and field["label"]["en"]
            assert field["why"]["de"] and field["why"]["en"], field["name"]


def test_partner_reuses_the_base_and_changes_only_the_fee(catalogue):
    ours = catalogue.get("musterstadt", "residents-parking")
    theirs = catalogue.get("beispielstadt", "residents-parking")
    base_fields = [field for field in ours["fields"] if not field.get("local")]
    assert theirs["fields"] == base_fields
    assert theirs["fee"]["rules"][0]["cents"] == 1000 != ours["fee"]["rules"][0]["cents"]
    assert theirs["processing_days"] == ours["processing_days"]
    assert [item["id"] for item in catalogue.types("beispielstadt")] == ["residents-parking"]


def test_local_field_and_text_override_are_layered(catalogue):
    parking = catalogue.get("musterstadt", "residents-parking")
    assert parking["fields"][-1]["name"] == "second_vehicle"
    id_card = catalogue.get("musterstadt", "id-card")
    assert "Rathaus" in id_card["description"]["de"]
    assert id_card["appointment_service"] == id_card["needs_appointment"] == "id-card"
    assert id_card["workflow"]["transitions"]


def test_a_base_change_reaches_every_tenant(definitions):
    base = definitions / "base" / "residents-parking.yml"
    base.write_text(base.read_text().replace("processing_days: 14", "processing_days: 9"))
    changed = TypeCatalogue.load(definitions)
    assert changed.get("musterstadt", "residents-parking")["processing_days"] == 9
    assert changed.get("beispielstadt", "residents-parking")["processing_days"] == 9


def _overlay(definitions: Path, text: str) -> None:
    (definitions / "tenants" / "beispielstadt" / "residents-parking.yml").write_text(text)


def test_an_overlay_that_makes_a_required_field_optional_is_rejected(definitions):
    _overlay(definitions, """
fields:
  - name: licence_plate
    type: licence_plate
    required: false
    label: {de: Kennzeichen, en: Licence plate}
    why: {de: Weil., en: Because.}
""")
    with pytest.raises(DefinitionError, match="licence_plate makes it optional"):
        TypeCatalogue.load(definitions)


def test_an_overlay_that_widens_a_range_is_rejected(definitions):
    _overlay(definitions, """
fields:
  - name: duration_months
    type: integer
    required: true
    min: 1
    max: 60
    label: {de: Monate, en: Months}
    why: {de: Weil., en: Because.}
""")
    with pytest.raises(DefinitionError, match="raises or drops max"):
        TypeCatalogue.load(definitions)


def test_an_overlay_may_tighten_a_field(definitions):
    _overlay(definitions, """
fields:
  - name: duration_months
    type: integer
    required: true
    min: 6
    max: 12
    label: {de: Monate, en: Months}
    why: {de: Weil., en: Because.}
""")
    field = next(field for field in TypeCatalogue.load(definitions).get(
        "beispielstadt", "residents-parking")["fields"] if field["name"] == "duration_months")
    assert (field["min"], field["max"]) == (6, 12)


def test_an_overlay_may_not_set_what_the_base_fixes(definitions):
    (definitions / "tenants" / "beispielstadt" / "id-card.yml").write_text("fee:\n  rules: []\n")
    with pytest.raises(DefinitionError, match="id-card may not set fee"):
        TypeCatalogue.load(definitions)


def test_unknown_keys_in_a_file_are_reported_with_the_path(definitions):
    _overlay(definitions, "feee: 3\n")
    with pytest.raises(DefinitionError, match="residents-parking.yml: feee"):
        TypeCatalogue.load(definitions)


def test_a_type_not_offered_is_not_found(catalogue):
    with pytest.raises(NotFound):
        catalogue.get("beispielstadt", "id-card")
    assert catalogue.types("nowhere") == []


def test_a_leika_service_key_is_optional_and_has_14_digits(definitions, catalogue):
    assert catalogue.get("musterstadt", "registration-of-move")["service_key"] == (
        "99115005104000")
    assert catalogue.get("musterstadt", "id-card")["service_key"] is None  # none confirmed
    base = definitions / "base" / "residents-parking.yml"
    text = base.read_text()
    base.write_text(text + "service_key: '99123456789012'\n")
    keyed = TypeCatalogue.load(definitions)
    assert keyed.get("beispielstadt", "residents-parking")["service_key"] == "99123456789012"
    base.write_text(text + "service_key: '9912345'\n")
    with pytest.raises(DefinitionError, match="14 digits"):
        TypeCatalogue.load(definitions)


def test_an_overlay_may_not_set_the_service_key(definitions):
    _overlay(definitions, "service_key: '99123456789012'\n")
    with pytest.raises(DefinitionError, match="service_key"):
        TypeCatalogue.load(definitions)
