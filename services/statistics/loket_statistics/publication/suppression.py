# SPDX-License-Identifier: EUPL-1.2
"""Small-count suppression of a month's grid (pure): primary and secondary suppression.

A grid holds cells keyed ``(measure, process, channel)``, totals included (process or
channel ``total``), and *lines*: groups of cells of which one is the sum of the others (a
table's row or column with its total, or a volume with the measures it adds up). A cell
is recoverable by subtraction when it is the only suppressed member of a line, so:

- primary: a count ``0 < n < threshold`` is suppressed (totals too);
- secondary, until nothing changes: every line with exactly one suppressed member gets a
  second one, its smallest other member (a non-zero one if there is any).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

Key = tuple[str, str, str]  # (measure, process, channel)
TOTAL = "total"


def primary(values: Mapping[Key, int], threshold: int) -> set[Key]:
    """The cells with a count above 0 and below ``threshold``."""
    return {key for key, n in values.items() if 0 < n < threshold}


def _second(line: Sequence[Key], values: Mapping[Key, int], suppressed: set[Key]) -> Key:
    """The member of ``line`` to suppress next to its one suppressed member."""
    others = [key for key in line if key not in suppressed]
    non_zero = [key for key in others if values[key] > 0]
    # sorted by count, then key: the same grid always suppresses the same cells
    return min(non_zero or others, key=lambda key: (values[key], key))


def suppressed_cells(values: Mapping[Key, int], lines: Iterable[Sequence[Key]],
                     threshold: int) -> frozenset[Key]:
    """Every cell to publish as suppressed: primary, then secondary until stable."""
    all_lines = [tuple(line) for line in lines if len(line) > 1]
    suppressed = primary(values, threshold)
    changed = True
    while changed:
        changed = False
        for line in all_lines:
            if sum(key in suppressed for key in line) == 1:
                suppressed.add(_second(line, values, suppressed))
                changed = True
    return frozenset(suppressed)

