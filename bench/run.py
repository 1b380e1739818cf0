# SPDX-License-Identifier: EUPL-1.2
"""``make bench``: start the system as the end-to-end tests do, measure, print ratios.

Every target gets the same closed-loop clients (``--concurrency``), a warm-up, then a fixed
measured window: raw AMQP request/reply (baseline), Nameko RPC round trips (echo, health,
list_offices), the database read behind list_offices, the bare gateway (``/livez``,
baseline), ``/offices`` (one RPC-backed read) and the availability search through the
gateway; then the booking contention run. Table on stdout, all figures in
``var/bench/results.json``. See docs/performance.md.
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from deploy.local.infra import (
    delete_vhost,
    ensure_management_api,
    ensure_rabbitmq,
    free_port,
    isolated_vhost,
)
from deploy.local.processes import ProcessGroup
from deploy.local.system import BIN, ROOT, System
from loket_common.settings import DEFAULT_AMQP_URI

from .contention import contend
from .cpu import CpuProbe, find_by_name
from .load import Client, measure
from .report import machine, report
from .targets import (
    AmqpEchoClient,
    HttpClient,
    NamekoClient,
    OfficesReadClient,
    declare_queue,
    wait_for_consumer,
)

MANAGEMENT = os.environ.get("RABBIT_CTL_URI", "http://guest:guest@127.0.0.1:15672")
TENANT = "musterstadt"
API = f"/api/v1/tenants/{TENANT}"
APPOINTMENTS_DB = os.environ.get("APPOINTMENTS_MONGO_DATABASE", "loket_appointments")
ECHO_QUEUE, ECHO_QUEUE_CONFIRMED = "bench-echo", "bench-echo-confirmed"
# As in targets(), in running order.
KEYS = ("amqp", "amqp_confirmed", "nameko_echo", "nameko_health", "mongo_offices",
        "nameko_offices", "livez", "offices", "slots", "slots_200")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line (see ``--help``)."""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured per target")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of warm-up per target")
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent clients")
    parser.add_argument("--contenders", type=int, default=200,
                        help="clients racing for scarce slots (0: skip the contention run)")
    parser.add_argument("--scarce-slots", type=int, default=20)
    parser.add_argument("--only", type=lambda text: text.split(","), default=None,
                        metavar="KEY,...",
                        help=f"measure only these targets, of: {', '.join(KEYS)}")
    args = parser.parse_args(argv)
    if args.only and set(args.only) - set(KEYS):
        parser.error(f"unknown target(s): {', '.join(sorted(set(args.only) - set(KEYS)))}")
    return args


@contextmanager
def running_system() -> Iterator[tuple[System, str]]:
    """The system on free ports with its own vhost and database, plus the echo responders.

    As ``make test`` does, a private RabbitMQ is started if none answers (and stopped after).
    """
    var_dir = Path(tempfile.mkdtemp(prefix="loket-bench-"))
    broker = ProcessGroup(var_dir / "log")
    base_uri = os.environ.get("AMQP_URI", DEFAULT_AMQP_URI)
    vhost = f"loket-bench-{uuid.uuid4().hex[:8]}"
    amqp_uri: str | None = None
    system: System | None = None
    try:
        ensure_rabbitmq(broker, base_uri, var_dir)
        ensure_management_api(base_uri, MANAGEMENT)
        amqp_uri = isolated_vhost(base_uri, MANAGEMENT, vhost)
        # The load generator searches from one address: its search limit is lifted (the
        # limiter still counts every request). Contenders name their own addresses.
        system = System(var_dir=var_dir, gateway_port=free_port(), mongo_port=free_port(),
                        idp_port=free_port(),
                        amqp_uri=amqp_uri, extra_env={"RATE_LIMIT_SEARCH": "10000000/minute",
                                                      "LOKET_TRUSTED_PROXIES": "1"})
        system.start()
        for queue, flags in ((ECHO_QUEUE, []), (ECHO_QUEUE_CONFIRMED, ["--like-nameko"])):
            declare_queue(amqp_uri, queue)
            system.group.start(queue, [sys.executable, "-m", "bench.amqp_echo", amqp_uri, queue,
                                       *flags], cwd=ROOT)
        system.group.start("bench_echo", [str(BIN / "loket-service"), "run",
                                          "--settings", "bench.echo_service:Settings",
                                          "bench.echo_service"], cwd=ROOT,
                           env={**system.env(), "AMQP_URI": amqp_uri})
        for queue in (ECHO_QUEUE, ECHO_QUEUE_CONFIRMED, "rpc-bench_echo"):
            wait_for_consumer(amqp_uri, queue)
        yield system, amqp_uri
    finally:
        if system is not None:
            system.stop()  # also stops the responders: they are in its process group
        if amqp_uri is not None:
            delete_vhost(MANAGEMENT, vhost)
        broker.stop()
        shutil.rmtree(var_dir, ignore_errors=True)


def cpu_probe(system: System) -> CpuProbe:
    """CPU per part of the system (a process with its children, e.g. gunicorn's workers)."""
    pids = {name: process.pid for name, process in system.group.children}
    groups: dict[str, list[int | None]] = {
        "rabbitmq": [find_by_name("beam.smp")], "secantusdb": [pids["secantusdb"]],
        "appointments": [pids["appointments"]], "gateway": [pids["gateway"]],
        "echo responders": [pids[ECHO_QUEUE], pids[ECHO_QUEUE_CONFIRMED], pids["bench_echo"]],
        "permits+profile": [pids["permits"], pids["profile"]]}
    return CpuProbe({name: [pid for pid in group if pid] for name, group in groups.items()})


def targets(system: System, amqp_uri: str) -> dict[str, tuple[str, Callable[[], Client]]]:
    """Key -> (label, client factory), in the order they run."""
    def healthy(answer: dict) -> bool:
        return answer == {"service": "appointments", "database": "ok"}

    key = system.rpc_key  # RPC is sealed, as the gateway seals it

    return {
        "amqp": ("c. raw AMQP request/reply (baseline 2)",
                 lambda: AmqpEchoClient(amqp_uri, ECHO_QUEUE, like_nameko=False)),
        "amqp_confirmed": ("c2. raw AMQP, persistent + confirmed (Nameko's broker work)",
                           lambda: AmqpEchoClient(amqp_uri, ECHO_QUEUE_CONFIRMED,
                                                  like_nameko=True)),
        "nameko_echo": ("d2. Nameko RPC bench_echo.echo (no DB)",
                        lambda: NamekoClient(amqp_uri, key, "bench_echo", "echo", ("ping",),
                                             lambda answer: answer == "ping")),
        "nameko_health": ("d. Nameko RPC appointments.health (DB ping)",
                          lambda: NamekoClient(amqp_uri, key, "appointments", "health", (),
                                               healthy)),
        "mongo_offices": ("e. DB read behind list_offices (pymongo, no Nameko)",
                          lambda: OfficesReadClient(system.mongo_uri, APPOINTMENTS_DB, TENANT)),
        "nameko_offices": ("d3. Nameko RPC appointments.list_offices (what b calls)",
                           lambda: NamekoClient(amqp_uri, key, "appointments", "list_offices",
                                                (TENANT,), bool)),
        "livez": ("a. gateway GET /livez (baseline 1)",
                  lambda: HttpClient(system.url, "/livez")),
        "offices": ("b. gateway GET .../offices (1 RPC + DB read)",
                    lambda: HttpClient(system.url, API + "/offices")),
        "slots": ("b2. gateway availability search (earliest 50, the default)",
                  lambda: HttpClient(system.url, API + "/slots?service_id=id-card")),
        "slots_200": ("b3. gateway availability search, limit=200",
                      lambda: HttpClient(system.url, API + "/slots?service_id=id-card&limit=200")),
    }


def main(argv: list[str] | None = None) -> None:
    """Run every measurement, print the table and write ``var/bench/results.json``."""
    args = parse_args(argv)
    # SIGTERM (and SIGINT) unwind through running_system(), which stops what it started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    rows: dict[str, dict] = {}
    contention: dict | None = None
    with running_system() as (system, amqp_uri):
        host, probe = machine(amqp_uri), cpu_probe(system)
        for key, (label, make_client) in targets(system, amqp_uri).items():
            if args.only is not None and key not in args.only:
                continue
            print(f"measuring {label} ...", flush=True)
            rows[key] = measure(label, make_client, args.concurrency, args.warmup,
                                args.duration, probe).row()
        if args.contenders:
            print("measuring booking contention ...", flush=True)
            contention = contend(system, args.contenders, args.scarce_slots)
    report(rows, contention, vars(args), host, ROOT / "var" / "bench" / "results.json")


if __name__ == "__main__":
    main()
