# SPDX-License-Identifier: EUPL-1.2
"""The benchmark's output: a Markdown table with ratios on stdout, and the same as JSON."""
from __future__ import annotations

import json
import os
import platform
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from kombu import Connection

# name -> (numerator, denominator, what it says)
RATIOS = {
    "b/a": ("offices", "livez", "gateway RPC read vs bare gateway endpoint"),
    "d/c": ("nameko_health", "amqp", "Nameko RPC (health) vs raw AMQP round trip"),
    "d2/c": ("nameko_echo", "amqp", "Nameko RPC (echo) vs raw AMQP round trip"),
    "d2/c2": ("nameko_echo", "amqp_confirmed", "Nameko RPC (echo) vs raw AMQP doing its work"),
    "d/d2": ("nameko_health", "nameko_echo", "health RPC (DB ping) vs echo RPC"),
    "d3/d2": ("nameko_offices", "nameko_echo", "list_offices RPC vs echo RPC"),
    "b/d3": ("offices", "nameko_offices", "gateway /offices vs its RPC called directly"),
    "b2/b": ("slots", "offices", "availability search vs one-RPC read"),
    "b3/b": ("slots_200", "offices", "availability search (200 slots) vs one-RPC read"),
}


def machine(amqp_uri: str) -> dict[str, object]:
    """What the figures were measured on."""
    with Connection(amqp_uri) as connection:
        connection.connect()
        broker = connection.connection.server_properties.get("version", "?")
    return {"cpus": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(), "rabbitmq": broker,
            **{package: version(package) for package in
               ("nameko", "kombu", "amqp", "gunicorn", "pymongo", "SecantusDB")},
            "gateway": f"gunicorn gthread, {os.environ.get('GATEWAY_WORKERS', '2')} workers x "
                       f"{os.environ.get('GATEWAY_THREADS', '8')} threads"}


def ratios(rows: dict[str, dict]) -> dict[str, dict]:
    """Each ratio of throughputs (x as many req/s) and of median latencies (x as slow)."""
    found = {}
    for name, (top, bottom, meaning) in RATIOS.items():
        if top in rows and bottom in rows and rows[bottom]["per_second"]:
            found[name] = {
                "meaning": meaning,
                "throughput": round(rows[top]["per_second"] / rows[bottom]["per_second"], 3),
                "p50": round(rows[top]["p50_ms"] / (rows[bottom]["p50_ms"] or 1), 2)}
    return found


def table(rows: dict[str, dict], found: dict[str, dict], contention: dict | None) -> str:
    """The results as Markdown."""
    lines = ["| measurement | req/s | p50 ms | p99 ms | errors | host CPU busy % |",
             "|---|---:|---:|---:|---:|---:|"]
    for row in rows.values():
        lines.append(f"| {row['name']} | {row['per_second']} | {row['p50_ms']} | "
                     f"{row['p99_ms']} | {row['errors']} | {row['host_cpu_percent']} |")
    parts = list(next(iter(rows.values()))["cpu_percent"]) if rows else []
    lines += ["", "CPU time per call in ms, by process (the load generator is \"bench\"):", "",
              "| measurement | bench | " + " | ".join(parts) + " | all |",
              "|---|---:|" + "---:|" * (len(parts) + 1)]
    for row in rows.values():
        used = {"bench": row["client_cpu_percent"], **row["cpu_percent"]}
        per_call = {part: percent * 10 / row["per_second"] if row["per_second"] else 0.0
                    for part, percent in used.items()}
        lines.append(f"| {row['name']} | "
                     + " | ".join(f"{per_call.get(part, 0.0):.2f}" for part in ["bench", *parts])
                     + f" | {sum(per_call.values()):.2f} |")
    if found:
        lines += ["", "| ratio | meaning | req/s ratio | p50 ratio |", "|---|---|---:|---:|"]
        lines += [f"| {name} | {ratio['meaning']} | {ratio['throughput']} | {ratio['p50']} |"
                  for name, ratio in found.items()]
    if contention:
        lines += ["", "contention: " + json.dumps(contention)]
    return "\n".join(lines)


def report(rows: dict[str, dict], contention: dict | None, settings: dict, host: dict,
           out: Path) -> None:
    """Print the table and write everything to ``out`` as JSON."""
    found = ratios(rows)
    print("\n" + table(rows, found, contention))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "settings": settings, "machine": host, "rows": rows, "ratios": found,
        "contention": contention}, indent=2) + "\n")
    print(f"\nwritten to {out}")


def write_json(path: Path | None, results: object) -> None:
    """Write ``results`` to ``path`` as indented JSON (nothing without a path)."""
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(results, indent=2, ensure_ascii=False))
