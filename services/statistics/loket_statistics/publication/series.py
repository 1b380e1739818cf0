# SPDX-License-Identifier: EUPL-1.2
"""The public figures month by month, read back from published tables (pure).

Each month's points come from its newest release's ``statistics.json``, so the public
page shows exactly what was published: a suppressed volume is absent from ``volume`` and
its channel listed in ``suppressed``; a suppressed share or lead time is None.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .grid import LEAD_TIME_DECISIONS, VOLUME
from .suppression import TOTAL
from .tables import DIGITAL_SHARE, EXPECTED_SHARE, LEAD_MEDIAN, LEAD_P90


def _point(month: str, rows: list[Mapping[str, Any]]) -> dict[str, Any]:
    volume: dict[str, int] = {}
    suppressed: list[str] = []
    found: dict[tuple[str, str], Any] = {}
    for row in rows:
        if row["measure"] == VOLUME and row["channel"] != TOTAL:
            if row["suppressed"]:
                suppressed.append(row["channel"])
            elif row["value"]:
                volume[row["channel"]] = int(row["value"])
        found[(row["measure"], row["channel"])] = row["value"]
    decisions = found.get((LEAD_TIME_DECISIONS, TOTAL))
    lead_time = None
    if decisions and found.get((LEAD_MEDIAN, TOTAL)) is not None:
        lead_time = {"decisions": int(decisions), "median_days": found[(LEAD_MEDIAN, TOTAL)],
                     "p90_days": found[(LEAD_P90, TOTAL)]}
    return {"month": month, "volume": volume, "suppressed": suppressed,
            "digital_share": found.get((DIGITAL_SHARE, "online")),
            "expected_share": found.get((EXPECTED_SHARE, "online")), "lead_time": lead_time}


def published_series(tables: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """``ProcessSeriesSchema`` (many) from ``statistics.json`` documents, one per month.

    Processes are sorted by key, points by month; a process's name is its newest one.
    """
    per_process: dict[str, dict[str, Any]] = {}
    for table in sorted(tables, key=lambda each: each["month"]):
        rows_of: dict[str, list[Mapping[str, Any]]] = {}
        for row in table["rows"]:
            if row["process"] != TOTAL and not row["process"].startswith("notifications:"):
                rows_of.setdefault(row["process"], []).append(row)
        for process, rows in rows_of.items():
            series = per_process.setdefault(process, {"process": process, "points": []})
            series["name"] = {"de": rows[0]["process_name_de"],
                              "en": rows[0]["process_name_en"]}
            series["service_key"] = rows[0]["service_key"]
            series["points"].append(_point(table["month"], rows))
    return [per_process[process] for process in sorted(per_process)]
