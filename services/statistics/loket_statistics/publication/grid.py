# SPDX-License-Identifier: EUPL-1.2
"""A month's published grid before suppression (pure): every table with its totals.

Per measure a table process x channel with row totals (channel ``total``), column totals
(process ``total``) and the grand total; the ``volume`` table (what the digital share
divides: :data:`VOLUME_MEASURES`) and ``lead_time_decisions`` (the decisions the lead
times are taken over). Its *lines* tell suppression which cells add up to which total;
each line's last member is its total.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from loket_contracts.statistics.measures import (
    APPLICATION_MEASURES,
    APPOINTMENT_MEASURES,
    BUILT_IN_CHANNELS,
    COUNTER_MEASURES,
    NOTIFICATION_MEASURES,
    OPTIONAL_CHANNELS,
    VOLUME_MEASURES,
    area_of,
)

from ..cells import MonthCells
from .suppression import TOTAL, Key

VOLUME = "volume"
LEAD_TIME_DECISIONS = "lead_time_decisions"
# The measures a process of each area has, in the published order.
AREA_MEASURES = {
    "appointments": (*APPOINTMENT_MEASURES, *COUNTER_MEASURES, VOLUME),
    "permits": (*APPLICATION_MEASURES, *COUNTER_MEASURES, VOLUME, LEAD_TIME_DECISIONS),
    "notifications": NOTIFICATION_MEASURES}
MEASURE_ORDER = tuple(dict.fromkeys(measure for measures in AREA_MEASURES.values()
                                    for measure in measures))
CHANNEL_ORDER = (*BUILT_IN_CHANNELS, *OPTIONAL_CHANNELS, "sms")
DECIDED = ("applications_approved", "applications_rejected")


@dataclass(frozen=True)
class Grid:
    """Counts of every published cell (totals included) and the lines that sum them."""

    values: dict[Key, int]
    lines: list[tuple[Key, ...]]
    processes: dict[str, list[str]]  # measure -> its processes (without the total)
    channels: dict[str, list[str]]  # measure -> its channels (without the total)


def _ordered_channels(channels: Iterable[str]) -> list[str]:
    known = set(channels)
    return [channel for channel in CHANNEL_ORDER if channel in known] + sorted(
        known - set(CHANNEL_ORDER))


def _raw(cells: MonthCells, measure: str, process: str, channel: str) -> int:
    """A measure's count, ``volume`` and ``lead_time_decisions`` derived from the cells."""
    if measure == VOLUME:
        return sum(cells.counts.get((part, process, channel), 0)
                   for part in VOLUME_MEASURES.get(area_of(process), ()))
    if measure == LEAD_TIME_DECISIONS:
        return len(cells.lead_days.get((process, channel), ()))
    return cells.counts.get((measure, process, channel), 0)


def build_grid(cells: MonthCells, tenant_channels: Iterable[str]) -> Grid:
    """The grid of ``cells``.

    The tenant's channels are columns of every table but the notifications' (those have
    their delivery channels), and so is any channel counted in the month.
    """
    base = list(dict.fromkeys([*BUILT_IN_CHANNELS, *tenant_channels]))
    seen: dict[str, set[str]] = {}
    for measure, process, channel in cells.counts:
        seen.setdefault(measure, set()).add(channel)
        if measure in VOLUME_MEASURES.get(area_of(process), ()):
            seen.setdefault(VOLUME, set()).add(channel)
    for _, channel in cells.lead_days:
        seen.setdefault(LEAD_TIME_DECISIONS, set()).add(channel)
    grid = Grid({}, [], {}, {})
    for measure in MEASURE_ORDER:
        processes = [process for process in cells.processes()
                     if measure in AREA_MEASURES.get(area_of(process), ())]
        if not processes:
            continue
        own = seen.get(measure, set())
        channels = _ordered_channels(own if measure in NOTIFICATION_MEASURES
                                     else [*base, *own])
        if not channels:
            continue
        grid.processes[measure], grid.channels[measure] = processes, channels
        _add_table(grid, cells, measure, processes, channels)
    _add_sum_lines(grid)
    return grid


def _add_table(grid: Grid, cells: MonthCells, measure: str, processes: list[str],
               channels: list[str]) -> None:
    """One measure's cells, totals and its rows and columns as lines."""
    for process in processes:
        for channel in channels:
            grid.values[(measure, process, channel)] = _raw(cells, measure, process, channel)
        grid.values[(measure, process, TOTAL)] = sum(
            grid.values[(measure, process, channel)] for channel in channels)
    for channel in [*channels, TOTAL]:
        grid.values[(measure, TOTAL, channel)] = sum(
            grid.values[(measure, process, channel)] for process in processes)
    for process in [*processes, TOTAL]:
        grid.lines.append(tuple((measure, process, channel) for channel in [*channels, TOTAL]))
    for channel in [*channels, TOTAL]:
        grid.lines.append(tuple((measure, process, channel)
                                for process in [*processes, TOTAL]))


def _add_sum_lines(grid: Grid) -> None:
    """Lines across tables: a volume sums its measures; approved plus rejected bound the decisions.

    The decisions' line is conservative (not every decision has a lead time): it can only
    suppress more.
    """
    sums = [(VOLUME, tuple(dict.fromkeys(part for parts in VOLUME_MEASURES.values()
                                         for part in parts))),
            (LEAD_TIME_DECISIONS, DECIDED)]
    for total_measure, parts in sums:
        for key in [key for key in grid.values if key[0] == total_measure]:
            members = tuple((part, key[1], key[2]) for part in parts
                            if (part, key[1], key[2]) in grid.values)
            if members:
                grid.lines.append((*members, key))
