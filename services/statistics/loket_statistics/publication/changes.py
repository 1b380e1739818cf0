# SPDX-License-Identifier: EUPL-1.2
"""What a correction changes against the release it corrects, one line per cell (pure)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

RowKey = tuple[str, str, str]  # (process, channel, measure)


def _shown(row: Mapping[str, Any] | None) -> str:
    if row is None:
        return "(none)"
    return "suppressed" if row["suppressed"] else str(row["value"])


def _by_key(rows: Iterable[Mapping[str, Any]]) -> dict[RowKey, Mapping[str, Any]]:
    return {(row["process"], row["channel"], row["measure"]): row for row in rows}


def changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Lines such as ``permits:id-card counter applications_submitted: 12 -> 14``.

    ``old`` and ``new`` are ``statistics.json`` documents (threshold and rows).
    """
    lines = []
    if old["threshold"] != new["threshold"]:
        lines.append(f"threshold: {old['threshold']} -> {new['threshold']}")
    before, after = _by_key(old["rows"]), _by_key(new["rows"])
    for key in sorted(set(before) | set(after)):
        was, now = _shown(before.get(key)), _shown(after.get(key))
        if was != now:
            lines.append(f"{' '.join(key)}: {was} -> {now}")
    return lines
