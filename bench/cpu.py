# SPDX-License-Identifier: EUPL-1.2
"""Where the CPU goes: cumulative CPU seconds of named processes and their children (Linux)."""
from __future__ import annotations

import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[str, int, float] | None:
    """(command name, parent pid, CPU seconds) of ``pid``, or None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name = text[text.index("(") + 1:text.rindex(")")]
    fields = text[text.rindex(")") + 2:].split()
    return name, int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS


def _all() -> dict[int, tuple[str, int, float]]:
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            found[int(entry.name)] = stat
    return found


def find_by_name(command: str) -> int | None:
    """The pid of a process called ``command`` (e.g. RabbitMQ's ``beam.smp``), if any."""
    return next((pid for pid, (name, _, _) in _all().items() if name == command), None)


class CpuProbe:
    """CPU seconds used so far by each named process tree."""

    def __init__(self, roots: dict[str, list[int]]) -> None:
        self.roots = roots

    def __call__(self) -> dict[str, float]:
        """Name -> CPU seconds of the root processes and all their descendants."""
        table = _all()
        children: dict[int, list[int]] = {}
        for pid, (_, parent, _) in table.items():
            children.setdefault(parent, []).append(pid)
        totals = {}
        for label, pids in self.roots.items():
            seconds, todo = 0.0, list(pids)
            while todo:
                pid = todo.pop()
                seconds += table[pid][2] if pid in table else 0.0
                todo.extend(children.get(pid, []))
            totals[label] = seconds
        return totals
