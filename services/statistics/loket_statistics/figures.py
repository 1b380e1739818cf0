# SPDX-License-Identifier: EUPL-1.2
"""A month's figures from its cells (pure): counts, volume by channel, shares, lead times.

Volume is what the digital share divides: per channel the sum of the process area's
``VOLUME_MEASURES`` (bookings or submitted applications, plus counter transactions). The
digital share is the online volume over all volume; the gap is that share minus the
expected one. Lead times are the median and the 90th percentile (linear interpolation
between the closest ranks, as numpy's default) of the month's decisions, in days.
"""
from __future__ import annotations

import math
from typing import Any

from loket_contracts.statistics.measures import (
    BUILT_IN_CHANNELS,
    ONLINE,
    VOLUME_MEASURES,
    area_of,
)

from .cells import MonthCells, ProcessInfo

DIGITS = 4


def percentile(ordered: list[float], share: float) -> float:
    """The ``share`` (0..1) percentile of the sorted, non-empty ``ordered``."""
    position = (len(ordered) - 1) * share
    low, high = math.floor(position), math.ceil(position)
    value = ordered[low] + (ordered[high] - ordered[low]) * (position - low)
    return round(value, 2)


def lead_time_of(days: list[float]) -> dict[str, Any] | None:
    """``LeadTimeSchema`` of the decisions' lead days (None when there were none)."""
    if not days:
        return None
    ordered = sorted(days)
    return {"decisions": len(ordered), "median_days": percentile(ordered, 0.5),
            "p90_days": percentile(ordered, 0.9)}


def volume_of(process: str, counts: dict[str, dict[str, int]]) -> dict[str, int]:
    """Channel -> how often the process was done (its area's volume measures)."""
    volume: dict[str, int] = {}
    for measure in VOLUME_MEASURES.get(area_of(process), ()):
        for channel, n in counts.get(measure, {}).items():
            volume[channel] = volume.get(channel, 0) + n
    return volume


def shares(volume: dict[str, int], expected: float | None) -> dict[str, float | None]:
    """``digital_share``, ``expected_share`` and ``gap`` of one process and month."""
    total = sum(volume.values())
    digital = round(volume.get(ONLINE, 0) / total, DIGITS) if total else None
    gap = round(digital - expected, DIGITS) if digital is not None and expected is not None \
        else None
    return {"digital_share": digital, "expected_share": expected, "gap": gap}


def info_of(processes: dict[str, ProcessInfo], process: str) -> ProcessInfo:
    """What the catalogue says of ``process``; its key as name when it is gone."""
    return processes.get(process) or ProcessInfo({"de": process, "en": process})


def process_counts(cells: MonthCells) -> dict[str, dict[str, dict[str, int]]]:
    """Process -> measure -> channel -> n."""
    found: dict[str, dict[str, dict[str, int]]] = {}
    for (measure, process, channel), n in cells.counts.items():
        found.setdefault(process, {}).setdefault(measure, {})[channel] = n
    return found


def lead_days_of(cells: MonthCells) -> dict[str, list[float]]:
    """Process -> every lead time of the month's decisions, all channels."""
    found: dict[str, list[float]] = {}
    for (process, _channel), days in cells.lead_days.items():
        found.setdefault(process, []).extend(days)
    return found


def month_figures(cells: MonthCells, settings: dict[str, Any],
                  processes: dict[str, ProcessInfo], published: bool) -> dict[str, Any]:
    """``MonthFiguresSchema`` of one tenant's month: the processes with data or an expectation."""
    counts, lead = process_counts(cells), lead_days_of(cells)
    expected: dict[str, float] = settings["expected_shares"]
    rows = []
    for process in sorted(set(counts) | set(lead) | set(expected)):
        info = info_of(processes, process)
        volume = volume_of(process, counts.get(process, {}))
        rows.append({"process": process, "name": info.name, "service_key": info.service_key,
                     "counts": counts.get(process, {}), "volume": volume,
                     **shares(volume, expected.get(process)),
                     "lead_time": lead_time_of(lead.get(process, []))})
    return {"tenant": cells.tenant, "month": cells.month, "published": published,
            "channels": [*BUILT_IN_CHANNELS, *settings["channels"]], "processes": rows}


def series_of(figures: list[dict[str, Any]],
              processes: dict[str, ProcessInfo]) -> list[dict[str, Any]]:
    """``ProcessSeriesSchema`` (many) from month figures in month order: every month a point."""
    keys = sorted({row["process"] for month in figures for row in month["processes"]})
    series = []
    for process in keys:
        info = info_of(processes, process)
        points = []
        for month in figures:
            row = next((row for row in month["processes"] if row["process"] == process), None)
            volume = row["volume"] if row else {}
            expected = row["expected_share"] if row else None
            points.append({"month": month["month"], "volume": volume,
                           **{key: value for key, value in shares(volume, expected).items()
                              if key != "gap"},
                           "lead_time": row["lead_time"] if row else None, "suppressed": []})
        series.append({"process": process, "name": info.name,
                       "service_key": info.service_key, "points": points})
    return series
