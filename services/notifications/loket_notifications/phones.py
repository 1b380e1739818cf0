# SPDX-License-Identifier: EUPL-1.2
"""Phone numbers as residents type them, made E.164 for an SMS provider.

A profile's phone is free text (``+49 30 1234567``, ``030/1234567``, ``0049 ...``); a
number starting with a single 0 is national and gets the tenant's country code (Germany's
49 unless told otherwise).
"""
from __future__ import annotations

import re

DEFAULT_COUNTRY_CODE = "49"
_SEPARATORS = re.compile(r"[ ()/.-]")
# E.164: a country code not starting with 0, at most 15 digits in all; 7 at least here.
_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")


def e164(phone: str | None, country_code: str = DEFAULT_COUNTRY_CODE) -> str | None:
    """``phone`` as ``+<digits>``, or None when it is missing or no usable number."""
    digits = _SEPARATORS.sub("", phone or "")
    if digits.startswith("+"):
        number = digits
    elif digits.startswith("00"):
        number = "+" + digits[2:]
    elif digits.startswith("0"):
        number = f"+{country_code}{digits[1:]}"
    else:
        return None  # no country and no trunk prefix: we cannot tell where it rings
    return number if _E164.match(number) else None
