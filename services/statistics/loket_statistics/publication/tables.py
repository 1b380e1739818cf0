# SPDX-License-Identifier: EUPL-1.2
"""The published table of a month (long format) and its CSV and JSON forms.

One row per month, process, channel and measure, totals included (process or channel
``total``); ``value`` is empty (CSV) or null (JSON) when ``suppressed``. Besides the
counts of :mod:`.grid`'s tables the rows hold, per process:

- ``lead_time_median_days`` and ``lead_time_p90_days`` for every cell of
  ``lead_time_decisions`` (suppressed with it);
- ``digital_share`` (channel ``online``: online volume / all volume, 0..1; suppressed when
  either volume is) and ``expected_share`` (channel ``online``: the tenant's expectation,
  only when set).
"""
from __future__ import annotations

import csv
import io
import json
import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from loket_contracts.statistics.measures import ONLINE

from ..cells import MonthCells, ProcessInfo
from .grid import LEAD_TIME_DECISIONS, MEASURE_ORDER, VOLUME, Grid, build_grid
from .suppression import TOTAL, suppressed_cells

FIELDS = ("month", "process", "process_name_de", "process_name_en", "service_key",
          "channel", "measure", "value", "suppressed")
LEAD_MEDIAN = "lead_time_median_days"
LEAD_P90 = "lead_time_p90_days"
DIGITAL_SHARE = "digital_share"
EXPECTED_SHARE = "expected_share"
PUBLISHED_MEASURES = (*MEASURE_ORDER, LEAD_MEDIAN, LEAD_P90, DIGITAL_SHARE, EXPECTED_SHARE)
ALL_PROCESSES = ProcessInfo({"de": "Alle Verfahren", "en": "All processes"})


@dataclass(frozen=True)
class MonthTable:
    """A tenant's published month: its rows and the threshold they were suppressed with."""

    tenant: str
    month: str
    threshold: int
    rows: list[dict[str, Any]]


def lead_time(days: list[float]) -> tuple[float, float]:
    """Median and 90th percentile of ``days`` (linear between the closest ranks), in 0.01 days."""
    ordered = sorted(days)
    p90 = statistics.quantiles(ordered, n=10, method="inclusive")[-1] if len(ordered) > 1 \
        else ordered[0]
    return round(statistics.median(ordered), 2), round(p90, 2)


def _lead_days(cells: MonthCells, process: str, channel: str) -> list[float]:
    return [days for (each_process, each_channel), values in cells.lead_days.items()
            if process in (TOTAL, each_process) and channel in (TOTAL, each_channel)
            for days in values]


def month_table(cells: MonthCells, processes: Mapping[str, ProcessInfo],
                settings: Mapping[str, Any]) -> MonthTable:
    """The published, suppressed table of ``cells`` under the tenant's ``settings``."""
    threshold = int(settings["threshold"])
    grid = build_grid(cells, settings.get("channels") or ())
    hidden = suppressed_cells(grid.values, grid.lines, threshold)
    rows: list[dict[str, Any]] = []

    def row(measure: str, process: str, channel: str, value: float | None,
            suppressed: bool) -> None:
        info = ALL_PROCESSES if process == TOTAL else processes.get(
            process, ProcessInfo({"de": process, "en": process}))
        rows.append({"month": cells.month, "process": process,
                     "process_name_de": info.name["de"], "process_name_en": info.name["en"],
                     "service_key": info.service_key, "channel": channel, "measure": measure,
                     "value": None if suppressed else value, "suppressed": suppressed})

    for (measure, process, channel), n in grid.values.items():
        row(measure, process, channel, n, (measure, process, channel) in hidden)
    for (measure, process, channel), n in grid.values.items():
        if measure == LEAD_TIME_DECISIONS and n:
            hide = (measure, process, channel) in hidden
            median, p90 = lead_time(_lead_days(cells, process, channel))
            row(LEAD_MEDIAN, process, channel, median, hide)
            row(LEAD_P90, process, channel, p90, hide)
    _share_rows(grid, hidden, settings.get("expected_shares") or {}, row)
    return MonthTable(cells.tenant, cells.month, threshold, rows)


def _share_rows(grid: Grid, hidden: frozenset, expected: Mapping[str, float], row: Any) -> None:
    """Digital and expected share of every process with a volume."""
    for process in grid.processes.get(VOLUME, []):
        online, total = (VOLUME, process, ONLINE), (VOLUME, process, TOTAL)
        if grid.values[total]:
            hide = online in hidden or total in hidden
            row(DIGITAL_SHARE, process, ONLINE,
                round(grid.values.get(online, 0) / grid.values[total], 4), hide)
        if process in expected:
            row(EXPECTED_SHARE, process, ONLINE, float(expected[process]), False)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def to_csv(table: MonthTable) -> str:
    """``statistics.csv``: UTF-8, a header line, CRLF line ends (RFC 4180)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for each in table.rows:
        writer.writerow([_text(each[name]) for name in FIELDS])
    return out.getvalue()


def to_json(table: MonthTable) -> str:
    """``statistics.json``: the tenant, month, threshold and the rows (null when suppressed)."""
    return json.dumps({"tenant": table.tenant, "month": table.month,
                       "threshold": table.threshold, "rows": table.rows},
                      ensure_ascii=False, indent=1, sort_keys=True) + "\n"
