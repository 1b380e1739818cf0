# SPDX-License-Identifier: EUPL-1.2
"""``make bench``: start the system as the end-to-end tests do, measure, print ratios.

Measured in one run, each with the same number of closed-loop clients:
raw AMQP request/reply (kombu, baseline), Nameko RPC round trip, bare gateway
endpoint (``/livez``, baseline), one RPC-backed read (``/offices``), the
availability search, and the booking contention run (many clients, few slots).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import uuid
from pathlib import Path

from deploy.local.infra import delete_vhost, free_port, isolated_vhost
from deploy.local.system import ROOT, System

from .contention import contend
from .load import measure
from .targets import amqp_echo, http_get, nameko_health

MANAGEMENT = os.environ.get("RABBIT_CTL_URI", "http://guest:guest@127.0.0.1:15672")


def main() -> None:
    """Run every measurement and write ``var/bench/results.json``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--contenders", type=int, default=200)
    parser.add_argument("--scarce-slots", type=int, default=20)
    args = parser.parse_args()
    var_dir = Path(tempfile.mkdtemp(prefix="loket-bench-"))
    vhost = f"loket-bench-{uuid.uuid4().hex[:8]}"
    amqp_uri = isolated_vhost(os.environ.get("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/"),
                              MANAGEMENT, vhost)
    system = System(var_dir=var_dir, gateway_port=free_port(), mongo_port=free_port(),
                    amqp_uri=amqp_uri, extra_env={"HOLDS_PER_CLIENT": "100000"})
    system.start()
    try:
        rows = run_all(system, amqp_uri, args)
    finally:
        system.stop()
        delete_vhost(MANAGEMENT, vhost)
        shutil.rmtree(var_dir, ignore_errors=True)
    report(rows)


def run_all(system: System, amqp_uri: str, args: argparse.Namespace) -> dict[str, dict]:
    """The measurements, by name."""
    search = "/api/v1/tenants/musterstadt/slots?service_id=id-card"
    targets = {
        "raw AMQP request/reply (baseline)": amqp_echo(amqp_uri),
        "Nameko RPC round trip": nameko_health(amqp_uri),
        "gateway /livez (baseline)": http_get(system.url, "/livez"),
        "gateway /offices (1 RPC + DB read)": http_get(system.url,
                                                       "/api/v1/tenants/musterstadt/offices"),
        "gateway availability search": http_get(system.url, search),
    }
    rows = {}
    for name, make_call in targets.items():
        measure(name, make_call, args.concurrency, min(2.0, args.duration))  # warm-up
        rows[name] = measure(name, make_call, args.concurrency, args.duration).row()
        print(rows[name], flush=True)
    rows["contention"] = contend(system, args.contenders, args.scarce_slots)
    print(rows["contention"], flush=True)
    return rows


def report(rows: dict[str, dict]) -> None:
    """Print the table and ratios; write them as JSON."""
    def ratio(a: str, b: str) -> float:
        return round(rows[a]["per_second"] / rows[b]["per_second"], 3)

    ratios = {
        "Nameko RPC / raw AMQP": ratio("Nameko RPC round trip",
                                       "raw AMQP request/reply (baseline)"),
        "gateway /offices / gateway /livez": ratio("gateway /offices (1 RPC + DB read)",
                                                   "gateway /livez (baseline)"),
        "availability search / gateway /offices": ratio("gateway availability search",
                                                        "gateway /offices (1 RPC + DB read)"),
    }
    print("\n| measurement | req/s | p50 ms | p99 ms | errors |\n|---|---|---|---|---|")
    for name, row in rows.items():
        if name != "contention":
            print(f"| {name} | {row['per_second']} | {row['p50_ms']} | {row['p99_ms']} | "
                  f"{row['errors']} |")
    print("\n" + "\n".join(f"{name}: {value}" for name, value in ratios.items()))
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps({"rows": rows, "ratios": ratios}, indent=2))


if __name__ == "__main__":
    main()
