# SPDX-License-Identifier: EUPL-1.2
"""Which months of a tenant are due for publication (pure)."""
from __future__ import annotations

from collections.abc import Iterable, Iterator


def next_month(month: str) -> str:
    """The month after ``YYYY-MM``."""
    year, number = (int(part) for part in month.split("-"))
    return f"{year + number // 12}-{number % 12 + 1:02d}"


def previous_month(month: str) -> str:
    """The month before ``YYYY-MM``."""
    year, number = (int(part) for part in month.split("-"))
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


def months_from(first: str, before: str) -> Iterator[str]:
    """``first``, the month after it, ... up to the month before ``before``."""
    month = first
    while month < before:
        yield month
        month = next_month(month)


def due_months(first_counted: str | None, current: str, published: Iterable[str]) -> list[str]:
    """Months from the first with counts to the one before ``current``, without a release.

    None when nothing was ever counted.
    """
    if first_counted is None:
        return []
    done = set(published)
    return [month for month in months_from(first_counted, current) if month not in done]
