# SPDX-License-Identifier: EUPL-1.2
"""A process's figures month by month as a page shows them: chart, data table, summary.

Built from ``ProcessSeriesSchema`` answers (``published_series`` for the public page,
``process_series`` for staff); no I/O. A published point lists its suppressed channels:
their counts read "fewer than N" (N: the tenant's threshold).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup

from loket_contracts.statistics.measures import area_of

from . import charts
from .wording import (
    channel_names,
    days,
    fewer_than,
    month_name,
    ordered_channels,
    percent,
    share_sentence,
)


@dataclass(frozen=True)
class MonthRow:
    """One month of a process in the data table (texts, ready to show)."""

    month: str
    label: str
    share: str
    expected: str
    counts: dict[str, str]
    median: str
    p90: str


@dataclass(frozen=True)
class ProcessView:
    """One process: its name, charts, summary and the table that carries the data."""

    process: str
    name: dict[str, str]
    service_key: str | None
    channels: list[str]
    rows: list[MonthRow]
    summary: str
    share_svg: Markup
    channel_svg: Markup
    has_lead_times: bool
    has_suppressed: bool


def _count(point: dict[str, Any], channel: str, threshold: int) -> str:
    if channel in point.get("suppressed", []):
        return fewer_than(threshold)
    return str(point["volume"].get(channel, 0))


def _row(point: dict[str, Any], channels: list[str], threshold: int) -> MonthRow:
    lead = point.get("lead_time") or {}
    return MonthRow(month=point["month"], label=month_name(point["month"]),
                    share=percent(point["digital_share"]),
                    expected=percent(point["expected_share"]),
                    counts={channel: _count(point, channel, threshold) for channel in channels},
                    median=days(lead.get("median_days")), p90=days(lead.get("p90_days")))


def summary(process: str, points: list[dict[str, Any]]) -> str:
    """The newest month with a share, in one sentence (or that nothing was counted)."""
    counted = [point for point in points if point["digital_share"] is not None]
    if not counted:
        return _("No cases were counted yet.")
    newest = max(counted, key=lambda point: point["month"])
    return share_sentence(area_of(process), newest["month"], newest["digital_share"],
                          newest["expected_share"])


def process_view(series: dict[str, Any], threshold: int) -> ProcessView:
    """The view of one ``ProcessSeriesSchema`` answer, its months in order."""
    points = sorted(series["points"], key=lambda point: point["month"])
    channels = ordered_channels({channel for point in points
                                 for channel in (*point["volume"], *point.get("suppressed", []))})
    labels = [month_name(point["month"]) for point in points]
    names = channel_names()
    return ProcessView(
        process=series["process"], name=series["name"], service_key=series["service_key"],
        channels=channels, rows=[_row(point, channels, threshold) for point in points],
        summary=summary(series["process"], points),
        share_svg=charts.share_chart(labels, [point["digital_share"] for point in points],
                                     [point["expected_share"] for point in points],
                                     (_("Online"), _("Expected"))),
        channel_svg=charts.channel_chart(labels, {
            names.get(channel, channel): [None if channel in point.get("suppressed", [])
                                          else point["volume"].get(channel, 0)
                                          for point in points] for channel in channels}),
        has_lead_times=any(point.get("lead_time") for point in points),
        has_suppressed=any(point.get("suppressed") for point in points))


def process_views(series: list[dict[str, Any]], threshold: int) -> list[ProcessView]:
    """Every process that has figures, appointments first, then permits, by key."""
    shown = [item for item in series
             if item["points"] and area_of(item["process"]) != "notifications"]
    return [process_view(item, threshold)
            for item in sorted(shown, key=lambda item: item["process"])]
