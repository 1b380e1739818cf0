# SPDX-License-Identifier: EUPL-1.2
"""Months as ``YYYY-MM`` (pure): checked input, ranges, the running month."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from loket_common.errors import ValidationFailed
from loket_contracts.statistics.measures import MONTH, month_of

from .intake import fits

MAX_MONTHS = 120  # a series of ten years at most


def checked_month(value: Any, name: str = "month") -> str:
    """``value`` if it is ``YYYY-MM``, else ValidationFailed naming ``name``."""
    if not isinstance(value, str) or not fits(MONTH, value):
        raise ValidationFailed("A month is YYYY-MM.", invalid_params=[
            {"name": name, "reason": "Use YYYY-MM."}])
    return value


def next_month(month: str) -> str:
    """The month after ``month``."""
    year, number = int(month[:4]), int(month[5:])
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}"


def months_between(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last``; ValidationFailed when reversed or too long."""
    months = [checked_month(first, "first_month")]
    checked_month(last, "last_month")
    if last < first:
        raise ValidationFailed("The range ends before it starts.", invalid_params=[
            {"name": "last_month", "reason": "Not before first_month."}])
    while months[-1] < last:
        if len(months) >= MAX_MONTHS:
            raise ValidationFailed("The range is too long.", invalid_params=[
                {"name": "last_month", "reason": f"At most {MAX_MONTHS} months."}])
        months.append(next_month(months[-1]))
    return months


def months_of_year(year: int) -> list[str]:
    """The twelve months of ``year``."""
    return [f"{year:04d}-{number:02d}" for number in range(1, 13)]


def running_month() -> str:
    """The month it is now, in the tenants' zone."""
    return month_of(datetime.now(UTC).isoformat())
