# SPDX-License-Identifier: EUPL-1.2
"""Compare runs of ``make bench``: ranges per side as Markdown, and a chart of them.

    .venv/bin/python -m bench.compare --side before=b1.json,b2.json,b3.json \\
        --side after=a1.json,a2.json,a3.json --chart docs/performance-issue-12.svg

Each ``results.json`` is one run (``var/bench/results.json``); a side is a list of runs, and
every cell is that side's range (lowest–highest) over its runs. CPU per call is all
processes together, the load generator included; "× /livez" divides it by ``/livez``'s CPU
per call in the same run, so it compares across machine states.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

Runs = list[dict[str, Any]]
COLUMNS = ("req/s", "p99 ms", "CPU ms/call", "CPU × /livez")


def cpu_ms_per_call(row: dict[str, Any]) -> float:
    """CPU milliseconds per call over every process (the load generator included)."""
    if not row["per_second"]:
        return 0.0
    used = row["client_cpu_percent"] + sum(row["cpu_percent"].values())
    return used * 10 / row["per_second"]


def figures(run: dict[str, Any], key: str) -> tuple[float, float, float, float]:
    """(req/s, p99, CPU ms per call, CPU as a multiple of /livez's) of target ``key``."""
    row = run["rows"][key]
    livez = cpu_ms_per_call(run["rows"]["livez"]) if "livez" in run["rows"] else 0.0
    cpu = cpu_ms_per_call(row)
    return row["per_second"], row["p99_ms"], cpu, cpu / livez if livez else 0.0


def span(values: list[float], digits: int) -> str:
    """``low–high`` with ``digits`` decimals (one value if they agree)."""
    low, high = f"{min(values):.{digits}f}", f"{max(values):.{digits}f}"
    return low if low == high else f"{low}–{high}"


def targets(sides: dict[str, Runs]) -> list[str]:
    """The targets every run of every side measured, in the first run's order."""
    first = next(iter(sides.values()))[0]["rows"]
    return [key for key in first
            if all(key in run["rows"] for runs in sides.values() for run in runs)]


def markdown(sides: dict[str, Runs]) -> str:
    """The ranges table, the ratios table and the contention lines."""
    names = list(sides)
    header = ["measurement"] + [f"{column} {side}" for column in COLUMNS for side in names]
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    first = next(iter(sides.values()))[0]["rows"]
    for key in targets(sides):
        cells = []
        for index, digits in enumerate((0, 1, 2, 1)):
            for side in names:
                cells.append(span([figures(run, key)[index] for run in sides[side]], digits))
        lines.append(f"| {first[key]['name']} | " + " | ".join(cells) + " |")
    ratio_names = [name for name in next(iter(sides.values()))[0]["ratios"]]
    lines += ["", "| ratio | meaning | " + " | ".join(names) + " |",
              "|---|---|" + "---:|" * len(names)]
    for name in ratio_names:
        meaning = next(iter(sides.values()))[0]["ratios"][name]["meaning"]
        cells = [span([run["ratios"][name]["throughput"] for run in sides[side]
                       if name in run["ratios"]], 3) for side in names]
        lines.append(f"| {name} | {meaning} | " + " | ".join(cells) + " |")
    lines.append("")
    for side in names:
        contention = [run["contention"] for run in sides[side] if run.get("contention")]
        if contention:
            lines.append(
                f"contention {side}: booked {[c['booked'] for c in contention]}, 409 "
                f"{[c['rejected_409'] for c in contention]}, overbooked "
                f"{[c['overbooked_slots'] for c in contention]}, bookings/s "
                + span([c["bookings_per_second"] for c in contention], 1))
    return "\n".join(lines)


def chart(sides: dict[str, Runs], out: Path) -> None:
    """Horizontal bars of each target's CPU per call (× /livez), one bar per side, the
    range as an error bar: what a request costs, independent of how busy the machine was."""
    import matplotlib

    matplotlib.use("svg")
    import matplotlib.pyplot as plt

    keys = [key for key in targets(sides) if key != "livez"]
    names = list(sides)
    first = next(iter(sides.values()))[0]["rows"]
    height = 0.8 / len(names)
    figure, axes = plt.subplots(figsize=(9, 0.55 * len(keys) + 1.5))
    for offset, side in enumerate(names):
        lows, highs, middles = [], [], []
        for key in keys:
            values = [figures(run, key)[3] for run in sides[side]]
            lows.append(min(values))
            highs.append(max(values))
            middles.append(sum(values) / len(values))
        positions = [index + offset * height for index in range(len(keys))]
        axes.barh(positions, middles, height=height, label=side,
                  xerr=[[m - low for m, low in zip(middles, lows, strict=True)],
                        [high - m for m, high in zip(middles, highs, strict=True)]], capsize=3)
    axes.set_yticks([index + height * (len(names) - 1) / 2 for index in range(len(keys))])
    axes.set_yticklabels([first[key]["name"] for key in keys], fontsize=8)
    axes.invert_yaxis()
    axes.set_xlabel("CPU per call, as a multiple of GET /livez's in the same run "
                    "(mean of the runs, bar: lowest to highest)")
    axes.legend()
    figure.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    # No date in the file: the same runs give the same chart.
    figure.savefig(out, format="svg", metadata={"Date": None})
    plt.close(figure)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.compare", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--side", action="append", required=True, metavar="NAME=FILE,...",
                        help="a side's name and its runs' results.json files")
    parser.add_argument("--chart", type=Path, help="also write an SVG chart here")
    args = parser.parse_args()
    sides: dict[str, Runs] = {}
    for given in args.side:
        name, _, files = given.partition("=")
        sides[name] = [json.loads(Path(file).read_text()) for file in files.split(",")]
    print(markdown(sides))
    if args.chart:
        chart(sides, args.chart)
        print(f"\nchart written to {args.chart}")


if __name__ == "__main__":
    main()
