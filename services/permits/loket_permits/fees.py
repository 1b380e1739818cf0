# SPDX-License-Identifier: EUPL-1.2
"""The fee of an application, in cents, from its type's fee rules and the form data."""
from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any


def _matches(condition: dict[str, Any] | None, data: dict[str, Any]) -> bool:
    return condition is None or data.get(condition["field"]) == condition["equals"]


def _days(data: dict[str, Any], start: str, end: str) -> int:
    """Calendar days from ``start`` to ``end``, both included (0 if either is missing)."""
    if not data.get(start) or not data.get(end):
        return 0
    return max(0, (date.fromisoformat(data[end]) - date.fromisoformat(data[start])).days + 1)


def _rule_cents(rule: dict[str, Any], data: dict[str, Any]) -> Decimal:
    if not _matches(rule.get("when"), data):
        return Decimal(0)
    amount = Decimal(rule["cents"])
    if rule["kind"] == "per_unit":
        amount *= Decimal(str(data.get(rule["field"]) or 0))
        if "per_day_from" in rule:
            amount *= _days(data, rule["per_day_from"], rule["per_day_to"])
    return amount


def fee_cents(fee: dict[str, Any], data: dict[str, Any]) -> int:
    """Sum of the rules, rounded half up, within minimum and maximum; 0 if exempt."""
    if any(_matches(exemption, data) for exemption in fee.get("exemptions", [])):
        return 0
    total = sum((_rule_cents(rule, data) for rule in fee["rules"]), Decimal(0))
    cents = int(total.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    cents = max(cents, fee.get("minimum_cents", 0))
    if "maximum_cents" in fee:
        cents = min(cents, fee["maximum_cents"])
    return max(cents, 0)


def fee_from_cents(fee: dict[str, Any]) -> int:
    """The fee shown in summaries: the unconditional fixed part, at least the minimum."""
    fixed = sum(rule["cents"] for rule in fee["rules"]
                if rule["kind"] == "fixed" and "when" not in rule)
    return max(fixed, fee.get("minimum_cents", 0), 0)
