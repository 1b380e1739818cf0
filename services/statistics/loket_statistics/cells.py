# SPDX-License-Identifier: EUPL-1.2
"""A month's raw figures of one tenant, as the store holds them and publication reads them."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ProcessInfo:
    """What the catalogue says of a process: its names and LeiKa key."""

    name: dict[str, str]  # {"de": ..., "en": ...}
    service_key: str | None = None


@dataclass(frozen=True)
class MonthCells:
    """Counts and lead times of one tenant's month, unsuppressed.

    ``counts``: (measure, process, channel) -> n, only cells above 0.
    ``lead_days``: (process, channel) -> the lead times (days, submitted -> decided) of the
    month's decisions, sorted.
    """

    tenant: str
    month: str
    counts: dict[tuple[str, str, str], int] = field(default_factory=dict)
    lead_days: dict[tuple[str, str], list[float]] = field(default_factory=dict)

    def processes(self) -> list[str]:
        """Every process with a count or a lead time, sorted."""
        return sorted({process for _, process, _ in self.counts}
                      | {process for process, _ in self.lead_days})

    def to_plain(self) -> dict[str, Any]:
        """A JSON-able form (tests compare rebuilt and live figures with it)."""
        return {"tenant": self.tenant, "month": self.month,
                "counts": sorted([*key, n] for key, n in self.counts.items()),
                "lead_days": sorted([*key, days] for key, days in self.lead_days.items())}
