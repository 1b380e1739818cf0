import pytest

from loket_permits.fees import fee_cents, fee_from_cents
from loket_permits.type_catalogue import TypeCatalogue

TYPES = TypeCatalogue.load()


@pytest.mark.parametrize(("months", "cents"), [(1, 3060), (12, 3060), (13, 3315), (24, 6120)])
def test_parking_per_month_with_minimum_and_maximum(months, cents):
    fee = TYPES.get("musterstadt", "residents-parking")["fee"]
    assert fee_cents(fee, {"duration_months": months}) == cents


def test_exemption_by_field_value():
    fee = TYPES.get("musterstadt", "residents-parking")["fee"]
    assert fee_cents(fee, {"duration_months": 12, "severely_disabled": True}) == 0


def test_partner_fee():
    fee = TYPES.get("beispielstadt", "residents-parking")["fee"]
    assert fee_cents(fee, {"duration_months": 12}) == 12000


def test_per_square_metre_per_day_rounded_half_up():
    fee = TYPES.get("musterstadt", "special-use")["fee"]
    data = {"area_m2": "12.33", "from_date": "2026-12-01", "to_date": "2026-12-10"}
    assert fee_cents(fee, data) == 18495  # 12.33 m² x 10 days x 150 cents
    assert fee_cents(fee, {**data, "to_date": "2026-12-01"}) == 5000  # minimum


def test_conditional_fixed_rule():
    fee = TYPES.get("musterstadt", "id-card")["fee"]
    assert fee_cents(fee, {"under_24": False}) == 3700
    assert fee_cents(fee, {"under_24": True}) == 2280


def test_fee_from_for_summaries():
    assert fee_from_cents(TYPES.get("musterstadt", "residents-parking")["fee"]) == 3060
    assert fee_from_cents(TYPES.get("musterstadt", "id-card")["fee"]) == 3700
    assert fee_from_cents(TYPES.get("musterstadt", "registration-of-move")["fee"]) == 0
