# SPDX-License-Identifier: EUPL-1.2
"""Primary and secondary suppression on crafted months, and an attacker who subtracts."""
from __future__ import annotations

import random

from loket_statistics.cells import MonthCells
from loket_statistics.publication.grid import build_grid
from loket_statistics.publication.suppression import TOTAL, primary, suppressed_cells

ID, PASS, PARK = "appointments:id-card", "appointments:passport", "permits:parking"


def month(counts, lead_days=None):
    return MonthCells("musterstadt", "2026-10", counts, lead_days or {})


def attack(values, lines, hidden):
    """Everything recoverable by subtraction: a line with one unknown gives it away; a
    recovered cell is used again in its other lines, until nothing more is found."""
    known = {key: n for key, n in values.items() if key not in hidden}
    found = {}
    progress = True
    while progress:
        progress = False
        for line in lines:
            unknown = [key for key in line if key not in known]
            if len(unknown) != 1:
                continue
            missing, total, members = unknown[0], line[-1], line[:-1]
            if missing == total:
                known[missing] = sum(known[key] for key in members)
            else:
                known[missing] = known[total] - sum(known[key] for key in members
                                                    if key != missing)
            found[missing] = known[missing]
            progress = True
    return found


def test_primary_suppresses_small_counts_above_zero():
    values = {("m", "a", "x"): 0, ("m", "a", "y"): 1, ("m", "a", "z"): 4,
              ("m", "b", "x"): 5, ("m", "b", "y"): 120}
    assert primary(values, 5) == {("m", "a", "y"), ("m", "a", "z")}


def test_a_single_small_cell_gets_a_partner_in_its_row_and_column():
    grid = build_grid(month({("appointments_booked", ID, "online"): 40,
                             ("appointments_booked", ID, "counter"): 3,
                             ("appointments_booked", PASS, "online"): 25,
                             ("appointments_booked", PASS, "counter"): 12}), [])
    hidden = suppressed_cells(grid.values, grid.lines, 5)
    booked = {key[1:] for key in hidden if key[0] == "appointments_booked"}
    assert (ID, "counter") in booked  # primary
    assert (PASS, "counter") in booked  # its column's smallest other cell
    assert (ID, "online") in booked or (ID, TOTAL) in booked  # its row needs a second too
    for line in grid.lines:
        assert sum(key in hidden for key in line) != 1, line


def test_zero_cells_are_taken_only_when_nothing_else_is_left():
    grid = build_grid(month({("appointments_booked", ID, "online"): 2}), [])
    hidden = suppressed_cells(grid.values, grid.lines, 5)
    # the row is 2, 0 (counter), 2 (total): the total is below the threshold itself
    assert ("appointments_booked", ID, TOTAL) in hidden
    assert ("appointments_booked", TOTAL, "online") in hidden
    assert attack(grid.values, grid.lines, hidden) == {}


def test_a_total_below_the_threshold_is_suppressed():
    grid = build_grid(month({("walk_ins", ID, "counter"): 1, ("walk_ins", PASS, "counter"): 2,
                             ("appointments_booked", ID, "online"): 30}), [])
    hidden = suppressed_cells(grid.values, grid.lines, 5)
    assert ("walk_ins", TOTAL, "counter") in hidden
    assert ("walk_ins", TOTAL, TOTAL) in hidden


def test_the_volume_does_not_give_away_a_suppressed_measure():
    # volume(online) = booked(online) + counter_transactions(online): one suppressed member
    # would be recoverable from the other two
    grid = build_grid(month({("appointments_booked", ID, "online"): 2,
                             ("counter_transactions", ID, "counter"): 50,
                             ("appointments_booked", ID, "counter"): 30,
                             ("appointments_booked", PASS, "online"): 60,
                             ("appointments_booked", PASS, "counter"): 7}), ["phone"])
    hidden = suppressed_cells(grid.values, grid.lines, 5)
    assert ("appointments_booked", ID, "online") in hidden
    assert ("volume", ID, "online") in hidden
    assert attack(grid.values, grid.lines, hidden) == {}


def test_no_suppressed_cell_is_recoverable_from_any_published_total():
    rng = random.Random(14)
    processes = [ID, PASS, "appointments:residence", PARK, "permits:special-use"]
    for _ in range(200):
        counts = {}
        for process in processes:
            measures = ("appointments_booked", "walk_ins", "counter_transactions") \
                if process.startswith("appointments") else (
                    "applications_submitted", "applications_approved", "counter_transactions")
            for measure in measures:
                for channel in ("online", "counter", "phone", "post"):
                    n = rng.choice((0, 0, 1, 2, 3, 4, 5, 6, 9, 20, 80))
                    if n:
                        counts[(measure, process, channel)] = n
        threshold = rng.choice((3, 5, 10))
        grid = build_grid(month(counts), ["phone", "post"])
        hidden = suppressed_cells(grid.values, grid.lines, threshold)
        assert all(key in hidden for key, n in grid.values.items() if 0 < n < threshold)
        for line in grid.lines:
            assert sum(key in hidden for key in line) != 1
        assert attack(grid.values, grid.lines, hidden) == {}


def test_the_attacker_used_here_does_recover_a_primary_only_suppression():
    # the attack is real: with primary suppression only, it finds the small cell
    grid = build_grid(month({("appointments_booked", ID, "online"): 40,
                             ("appointments_booked", ID, "counter"): 3}), [])
    found = attack(grid.values, grid.lines, frozenset(primary(grid.values, 5)))
    assert found[("appointments_booked", ID, "counter")] == 3


def test_the_same_month_always_suppresses_the_same_cells():
    booked = "appointments_booked"
    counts = {(booked, ID, "online"): 4, (booked, PASS, "online"): 4,
              (booked, ID, "counter"): 9, (booked, PASS, "counter"): 9}
    first = build_grid(month(counts), [])
    again = build_grid(month(dict(reversed(list(counts.items())))), [])
    assert suppressed_cells(first.values, first.lines, 5) == suppressed_cells(
        again.values, again.lines, 5)
