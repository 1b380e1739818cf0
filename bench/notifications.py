# SPDX-License-Identifier: EUPL-1.2
"""Notifications: from a booking's confirmation to the relay's acceptance, against raw SMTP.

Starts the system as the end-to-end tests do, with this process's SMTP server
(``bench.smtp_sink``) as the only relay, and 1 or 2 instances of the notifications service.
Each run, per instance count:

1. *baseline*: the raw SMTP rate of the same server: ``--senders`` smtplib connections
   sending a real Loket confirmation email (the warm-up's) as fast as it takes them;
2. *latency*: bookings confirmed through the gateway at ``--rate`` per second for
   ``--seconds``; per booking, the time from the confirmation's answer to the relay's
   acceptance of its email (p50, p99);
3. *throughput*: the notifications service stopped, ``--backlog`` bookings confirmed (their
   events wait in its queue), the service started again; messages/s from the first
   acceptance to the last, and CPU per message of the notifications processes.

    .venv/bin/python -m bench.notifications --runs 3 --json var/bench/notifications.json

Prints one line per run and the ranges (see docs/performance.md).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import requests

from deploy.local.infra import delete_vhost, free_port, isolated_vhost
from deploy.local.system import System
from loket_common.settings import DEFAULT_AMQP_URI
from loket_gateway.appointments.anti_bot.proof_of_work import solve

from .cpu import CpuProbe
from .report import write_json
from .run import MANAGEMENT

API = "/api/v1/tenants/musterstadt"
SERVICE = "id-card"
INSTANCE = "notifications"


@contextmanager
def started(relay: str) -> Iterator[System]:
    """The system on free ports, own vhost and database, ``relay`` its only SMTP relay."""
    var_dir = Path(tempfile.mkdtemp(prefix="loket-bench-notify-"))
    vhost = f"loket-bench-{uuid.uuid4().hex[:8]}"
    amqp_uri = isolated_vhost(os.environ.get("AMQP_URI", DEFAULT_AMQP_URI), MANAGEMENT, vhost)
    system = System(var_dir=var_dir, gateway_port=free_port(), mongo_port=free_port(),
                    idp_port=free_port(), amqp_uri=amqp_uri, extra_env={
                        "HOLDS_PER_CLIENT": "100000",
                        "LOKET_TRUSTED_PROXIES": "1", "RATE_LIMIT_SEARCH": "10000000/minute",
                        "RATE_LIMIT_EXEMPT_NETWORKS": "10.0.0.0/8",
                        "NOTIFICATIONS_SMTP_RELAYS": relay})
    try:
        system.start()
        yield system
    finally:
        system.stop()
        delete_vhost(MANAGEMENT, vhost)
        shutil.rmtree(var_dir, ignore_errors=True)


def add_instances(system: System, total: int) -> None:
    """Start more instances of the notifications service until ``total`` run."""
    command, cwd, env = system.group.commands[INSTANCE]
    for number in range(2, total + 1):
        system.group.start(f"{INSTANCE}-{number}", command, cwd=cwd, env=env)


def instances(system: System) -> list[tuple[str, Any]]:
    """(name, process) of each notifications instance (not the bounce receiver)."""
    return [(name, process) for name, process in system.group.children
            if name == INSTANCE or name.startswith(INSTANCE + "-") and name[-1].isdigit()]


def stop_instances(system: System) -> list[str]:
    """Stop every notifications instance (SIGINT, as the runner does); their names."""
    found = instances(system)
    for _, process in found:
        os.killpg(process.pid, signal.SIGINT)
    for _, process in found:
        process.wait(30)
    return [name for name, _ in found]


class Bookings:
    """Distinct free slots, and bookings of them through the gateway, one resident each."""

    def __init__(self, system: System) -> None:
        self.system = system
        self.slots = self._free_slots()
        self.lock = threading.Lock()
        self.next = 0

    def _free_slots(self) -> list[dict[str, Any]]:
        offices = requests.get(self.system.url + API + "/offices", timeout=30).json()
        found: list[dict[str, Any]] = []
        for days in range(60):
            day = (date.today() + timedelta(days=days)).isoformat()
            for office in offices:
                answer = requests.get(self.system.url + API + "/slots", timeout=30, params={
                    "service_id": SERVICE, "office_id": office["id"], "date_from": day,
                    "date_to": day, "limit": 200})
                if answer.status_code == 200:
                    found.extend(answer.json())
        return found

    def _post(self, path: str, body: dict[str, Any], client: str) -> requests.Response:
        return requests.post(self.system.url + API + path, json=body, timeout=60,
                             headers={"X-Forwarded-For": client})

    def prepare(self, count: int) -> list[tuple[int, str, str]]:
        """``count`` bookings' numbers, client addresses and solved proofs of work.

        Solved before the clock, as a prepared client would: the benchmark measures the
        notifications, not the proof of work (which costs this 2-core machine's CPU).
        """
        with self.lock:
            first, self.next = self.next, self.next + count
        if first + count > len(self.slots):
            raise RuntimeError(f"only {len(self.slots)} free slots for the benchmark")
        prepared = []
        for number in range(first, first + count):
            client = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256 or 1}"
            challenge = self._post("/challenges", {}, client).json()["challenge"]
            prepared.append((number, client, solve(challenge)))
        return prepared

    def book(self, prepared: tuple[int, str, str]) -> tuple[str, float] | None:
        """Book a prepared slot: (the resident's email, when the confirmation answered)."""
        number, client, proof = prepared
        slot = self.slots[number]
        email = f"r{number}-{uuid.uuid4().hex[:6]}@bench.example.org"
        held = self._post("/holds", {**{key: slot[key] for key in ("service_id", "office_id",
                                                                   "start")},
                                     "pow_solution": proof}, client)
        if held.status_code != 201:
            return None
        confirmed = self._post(f"/holds/{held.json()['hold_id']}/confirmation",
                               {"name": f"Person {number}", "email": email, "language": "de"},
                               client)
        return (email, time.monotonic()) if confirmed.status_code == 201 else None


def paced(bookings: Bookings, rate: float, seconds: float) -> list[tuple[str, float]]:
    """Bookings started at ``rate`` per second for ``seconds`` (open loop)."""
    prepared = bookings.prepare(int(rate * seconds))
    with ThreadPoolExecutor(max_workers=48) as pool:
        futures = []
        begin = time.monotonic()
        for index, booking in enumerate(prepared):
            time.sleep(max(0.0, begin + index / rate - time.monotonic()))
            futures.append(pool.submit(bookings.book, booking))
        return [done for future in futures if (done := future.result()) is not None]


def burst(bookings: Bookings, count: int) -> list[tuple[str, float]]:
    """``count`` bookings as fast as the gateway takes them."""
    prepared = bookings.prepare(count)
    with ThreadPoolExecutor(max_workers=16) as pool:
        return [done for done in pool.map(bookings.book, prepared) if done is not None]


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(len(ordered) * q / 100) - 1))]


def run_once(count: int, args: argparse.Namespace) -> dict[str, Any]:
    """One measurement with ``count`` notifications instances."""
    from .smtp_sink import SmtpSink, raw_send_rate

    sink = SmtpSink(free_port())
    try:
        with started(sink.relay) as system:
            add_instances(system, count)
            bookings = Bookings(system)
            warm = burst(bookings, 10)
            if len(sink.wait_for([email for email, _ in warm], 60)) < len(warm):
                raise RuntimeError("the warm-up's emails did not arrive")
            raw = raw_send_rate(sink, sink.last_message(), args.senders, args.baseline_seconds)

            confirmed = paced(bookings, args.rate, args.seconds)
            accepted = sink.wait_for([email for email, _ in confirmed], 120)
            latencies = [accepted[email] - at for email, at in confirmed if email in accepted]

            names = stop_instances(system)
            accepted_before = sink.count()
            backlog = burst(bookings, args.backlog)
            system.group.restart_dead(names)
            probe = CpuProbe({"notifications": [process.pid for _, process in
                                                instances(system)]})
            # CPU from the first acceptance on: the instances' start is not the messages' cost
            sink.wait_for_more_than(accepted_before, 120)
            cpu_before, count_before = probe()["notifications"], sink.count()
            drained = sink.wait_for([email for email, _ in backlog], 300)
            cpu = probe()["notifications"] - cpu_before
            sent_in_window = sink.count() - count_before
            times = sorted(drained.values())
            rate = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0
    finally:
        sink.stop()
    return {
        "instances": count, "raw_smtp_per_second": round(raw, 1),
        "messages_per_second": round(rate, 1),
        "ratio_to_raw": round(rate / raw, 3) if raw else None,
        "latency_bookings": len(confirmed), "latency_lost": len(confirmed) - len(latencies),
        "p50_seconds": round(percentile(latencies, 50), 3) if latencies else None,
        "p99_seconds": round(percentile(latencies, 99), 3) if latencies else None,
        "backlog": len(backlog), "backlog_lost": len(backlog) - len(drained),
        "cpu_ms_per_message": round(1000 * cpu / sent_in_window, 2) if sent_in_window else None,
    }


def ranges(runs: list[dict[str, Any]]) -> dict[str, str]:
    """Per figure: median (min–max) over the runs."""
    keys = ("raw_smtp_per_second", "messages_per_second", "ratio_to_raw", "p50_seconds",
            "p99_seconds", "cpu_ms_per_message")
    found = {}
    for key in keys:
        values = [run[key] for run in runs if run[key] is not None]
        if values:
            found[key] = f"{statistics.median(values)} ({min(values)}–{max(values)})"
    return found


def main(argv: list[str] | None = None) -> None:
    """Measure ``--runs`` times per instance count; print lines and ranges."""
    parser = argparse.ArgumentParser(prog="python -m bench.notifications", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--instances", type=lambda text: [int(n) for n in text.split(",")],
                        default=[1, 2], help="instance counts, e.g. 1,2")
    parser.add_argument("--rate", type=float, default=20.0, help="confirmations per second")
    parser.add_argument("--seconds", type=float, default=10.0, help="of paced confirmations")
    parser.add_argument("--backlog", type=int, default=300)
    parser.add_argument("--senders", type=int, default=8, help="raw SMTP connections")
    parser.add_argument("--baseline-seconds", type=float, default=5.0)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: exit(143))
    results: dict[str, Any] = {"settings": vars(args) | {"json": str(args.json)}, "runs": {}}
    for run in range(1, args.runs + 1):
        for count in args.instances:
            figures = run_once(count, args)
            results["runs"].setdefault(str(count), []).append(figures)
            print(f"run {run}, {count} instance(s): {json.dumps(figures)}", flush=True)
    for count, runs in results["runs"].items():
        results.setdefault("ranges", {})[count] = ranges(runs)
        print(f"{count} instance(s), median (min–max) of {len(runs)}: "
              f"{json.dumps(results['ranges'][count], ensure_ascii=False)}")
    write_json(args.json, results)


if __name__ == "__main__":
    main()
