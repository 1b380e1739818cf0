# SPDX-License-Identifier: EUPL-1.2
"""Phone numbers as residents type them, made E.164."""
import pytest

from loket_notifications.phones import e164


@pytest.mark.parametrize(("typed", "number"), [
    ("0151 2345 6789", "+4915123456789"), ("030/1234567", "+49301234567"),
    ("(030) 123-45-67", "+49301234567"), ("+49 30 1234567", "+49301234567"),
    ("0049 30 1234567", "+49301234567"), ("+31 20 123 4567", "+31201234567"),
    ("0043.1.234567", "+431234567")])
def test_numbers_are_made_e164(typed, number):
    assert e164(typed) == number


@pytest.mark.parametrize("typed", [None, "", "   ", "123456", "+0301234567", "0301",
                                   "+49 30 1234567890123456"])
def test_missing_or_unusable_numbers_are_none(typed):
    assert e164(typed) is None


def test_another_country_code_for_national_numbers():
    assert e164("020 1234567", country_code="31") == "+31201234567"
