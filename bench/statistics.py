# SPDX-License-Identifier: EUPL-1.2
"""Statistics: events ingested per second against a Nameko echo handler, and a year's rebuild.

Starts a private SecantusDB (free port, temporary directory) and uses the machine's RabbitMQ
(a private one if none answers), with a fresh vhost per measurement. Each run:

1. *baseline*: ``--events`` ``appointments.appointment_booked`` events backlogged for
   ``bench.event_echo_service`` (one ``@event_handler`` that only returns), then drained;
2. *ingest*: the same number of the same events for the real statistics service
   (``loket-service run loket_statistics.service``, a fresh database), drained until its
   cells count them all; the ratio to the baseline of the same run (issue 14: >= 0.5);
3. *rebuild*: once, ``--facts`` facts of one tenant over the twelve months of ``--year``
   seeded straight into ``facts``; each run times ``loket-statistics-rebuild --tenant T
   --year Y`` (issue 14: < 60 s) and checks the rebuilt cells count what was seeded.

    .venv/bin/python -m bench.statistics --runs 3 --json var/bench/statistics.json

Prints one line per run and the ranges (see docs/performance.md).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from deploy.local.infra import ensure_management_api, ensure_rabbitmq, free_port, start_secantusdb
from deploy.local.local_keys import shared_keys
from deploy.local.processes import ProcessGroup
from deploy.local.system import BIN, ROOT
from loket_common.crypto import new_key
from loket_common.mongo import connect
from loket_common.settings import DEFAULT_AMQP_URI

from .report import machine, write_json
from .run import MANAGEMENT
from .statistics_ingest import (
    TENANT,
    echo_target,
    measure_one,
    on_fresh_vhost,
    statistics_target,
)
from .statistics_rebuild import rebuilt_counts, seed_facts, time_rebuild
from .targets import wait_for_consumer

QUEUE = "evt-appointments-appointment_booked--statistics.on_appointment_booked"


@contextmanager
def infrastructure() -> Iterator[tuple[ProcessGroup, dict[str, str]]]:
    """SecantusDB and RabbitMQ for the whole benchmark; the services' environment."""
    var_dir = Path(tempfile.mkdtemp(prefix="loket-bench-stats-"))
    group = ProcessGroup(var_dir / "log")
    amqp_uri = os.environ.get("AMQP_URI", DEFAULT_AMQP_URI)
    try:
        ensure_rabbitmq(group, amqp_uri, var_dir)
        ensure_management_api(amqp_uri, MANAGEMENT)
        mongo_uri = start_secantusdb(group, var_dir / "secantusdb", free_port())
        yield group, {
            "AMQP_URI": amqp_uri, "MONGO_URI": mongo_uri, "LOKET_RPC_KEYS": new_key(),
            **shared_keys(var_dir), "LOG_LEVEL": "WARNING",
            # The release links' base (the tenant files name these variables).
            "LOKET_MUSTERSTADT_PUBLIC_URL": "http://127.0.0.1:8000",
            "LOKET_BEISPIELSTADT_PUBLIC_URL": "http://beispielstadt.localhost:8000",
            # The monthly publication is not what is measured: not during a run.
            "STATISTICS_PUBLISH_TIMER_SECONDS": "86400"}
    finally:
        group.stop()
        shutil.rmtree(var_dir, ignore_errors=True)


def ingest_run(group: ProcessGroup, env: dict[str, str], args: argparse.Namespace
               ) -> dict[str, Any]:
    """Baseline, then the statistics service, on the same events; the ratio."""
    baseline = measure_one(echo_target, env, args.events, MANAGEMENT, group, args.timeout)
    database = f"bench_statistics_{uuid.uuid4().hex[:8]}"
    ingest = measure_one(statistics_target, {**env, "STATISTICS_MONGO_DATABASE": database},
                         args.events, MANAGEMENT, group, args.timeout)
    client = connect(env["MONGO_URI"])
    client.drop_database(database)
    client.close()
    return {"events": args.events, "baseline": baseline, "statistics": ingest,
            "ratio": round(ingest["events_per_second"] / baseline["events_per_second"], 3)}


def prepared_rebuild(group: ProcessGroup, env: dict[str, str], args: argparse.Namespace
                     ) -> tuple[dict[str, str], dict[str, Any]]:
    """A database with ``--facts`` seeded facts and the service's indexes (it ran once).

    Seeded first, then indexed: SecantusDB inserts several times faster without the
    service's secondary indexes, and the rebuild then reads through them as in production.
    """
    env = {**env, "STATISTICS_MONGO_DATABASE": f"bench_rebuild_{uuid.uuid4().hex[:8]}"}
    client = connect(env["MONGO_URI"])
    try:
        seeded = seed_facts(client[env["STATISTICS_MONGO_DATABASE"]], TENANT, args.year,
                            args.facts)
    finally:
        client.close()

    def start_once(vhost_uri: str) -> dict[str, Any]:
        group.start("statistics-indexes", [str(BIN / "loket-service"), "run",
                                           "loket_statistics.service"], cwd=ROOT,
                    env={**env, "AMQP_URI": vhost_uri})
        try:
            wait_for_consumer(vhost_uri, QUEUE)  # started: its indexes exist
        finally:
            group.stop_child("statistics-indexes")
        return {}

    began = time.perf_counter()
    on_fresh_vhost(env["AMQP_URI"], MANAGEMENT, start_once)
    return env, {**seeded, "indexed_seconds": round(time.perf_counter() - began, 1)}


def rebuild_run(group: ProcessGroup, env: dict[str, str], seeded: dict[str, Any],
                args: argparse.Namespace) -> dict[str, Any]:
    """Time the command once and check the cells it left count the seeded facts."""
    (secantusdb,) = [process.pid for name, process in group.children if name == "secantusdb"]
    figures = time_rebuild(env, TENANT, args.year, secantusdb)
    client = connect(env["MONGO_URI"])
    try:
        counted = rebuilt_counts(client[env["STATISTICS_MONGO_DATABASE"]], TENANT, args.year)
    finally:
        client.close()
    if counted != seeded["expected"]:
        wrong = sorted(set(counted.items()) ^ set(seeded["expected"].items()))[:5]
        raise RuntimeError(f"the rebuilt cells differ from the seeded facts: {wrong}")
    return {"facts": args.facts, **figures,
            "facts_per_second": round(args.facts / figures["rebuild_seconds"])}


def spread(values: list[float]) -> str:
    """Median (min–max)."""
    return f"{round(statistics.median(values), 3)} ({min(values)}–{max(values)})"


def ranges(results: dict[str, list[dict[str, Any]]]) -> dict[str, str]:
    """The figures of every run as median (min–max)."""
    found: dict[str, str] = {}
    ingest, rebuild = results.get("ingest", []), results.get("rebuild", [])
    if ingest:
        found["baseline_events_per_second"] = spread(
            [run["baseline"]["events_per_second"] for run in ingest])
        found["statistics_events_per_second"] = spread(
            [run["statistics"]["events_per_second"] for run in ingest])
        found["ratio"] = spread([run["ratio"] for run in ingest])
        for side in ("baseline", "statistics"):
            for process in ingest[0][side]["cpu_ms_per_event"]:
                found[f"{side}_cpu_ms_per_event_{process}"] = spread(
                    [run[side]["cpu_ms_per_event"][process] for run in ingest])
    if rebuild:
        found["rebuild_seconds"] = spread([run["rebuild_seconds"] for run in rebuild])
        for process in rebuild[0]["cpu_seconds"]:
            found[f"rebuild_cpu_seconds_{process}"] = spread(
                [run["cpu_seconds"][process] for run in rebuild])
    return found


def main(argv: list[str] | None = None) -> None:
    """Measure ``--runs`` times; print a line per run and the ranges."""
    parser = argparse.ArgumentParser(prog="python -m bench.statistics", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--events", type=int, default=10_000, help="events per drain")
    parser.add_argument("--facts", type=int, default=1_000_000, help="facts to rebuild from")
    parser.add_argument("--year", type=int, default=date.today().year - 1)
    parser.add_argument("--only", choices=("ingest", "rebuild"), default=None)
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per drain")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwinds: everything stops
    results: dict[str, Any] = {"settings": vars(args) | {"json": str(args.json)}}
    with infrastructure() as (group, env):
        results["machine"] = machine(env["AMQP_URI"])
        if args.only in (None, "ingest"):
            for run in range(1, args.runs + 1):
                figures = ingest_run(group, env, args)
                results.setdefault("ingest", []).append(figures)
                print(f"ingest run {run}: {json.dumps(figures)}", flush=True)
        if args.only in (None, "rebuild"):
            rebuild_env, seeded = prepared_rebuild(group, env, args)
            print(f"seeded {args.facts} facts in {seeded['seed_seconds']} s, the service "
                  f"started on them (indexes) in {seeded['indexed_seconds']} s", flush=True)
            results["seed"] = {key: value for key, value in seeded.items() if key != "expected"}
            for run in range(1, args.runs + 1):
                figures = rebuild_run(group, rebuild_env, seeded, args)
                results.setdefault("rebuild", []).append(figures)
                print(f"rebuild run {run}: {json.dumps(figures, ensure_ascii=False)}",
                      flush=True)
    results["ranges"] = ranges(results)
    print(f"median (min–max) of {args.runs}: "
          f"{json.dumps(results['ranges'], ensure_ascii=False, indent=1)}")
    write_json(args.json, results)


if __name__ == "__main__":
    main()
