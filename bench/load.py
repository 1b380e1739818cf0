# SPDX-License-Identifier: EUPL-1.2
"""A closed-loop load generator: N threads, each with its own client, warm up then measure."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol


class Client(Protocol):
    """One connection's worth of calls; used by one thread only."""

    def call(self) -> bool:
        """One request; True when the answer was the expected one."""

    def close(self) -> None:
        """Release the connection."""


@dataclass
class Result:
    """Throughput, latency and CPU figures of one measured target."""

    name: str
    concurrency: int
    seconds: float
    calls: int = 0
    errors: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    client_cpu_percent: float | None = None
    host_cpu_percent: float | None = None
    cpu_percent: dict[str, float] = field(default_factory=dict)
    reconnects: int = 0
    first_error: str | None = None

    def percentile(self, q: float) -> float:
        """Latency percentile in ms (nearest rank, q in 0..100)."""
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return 0.0
        return ordered[min(len(ordered) - 1, max(0, round(len(ordered) * q / 100) - 1))]

    def row(self) -> dict:
        """The figures as a dict (for JSON and the table)."""
        return {"name": self.name, "per_second": round(self.calls / self.seconds, 1),
                "p50_ms": round(self.percentile(50), 2), "p99_ms": round(self.percentile(99), 2),
                "calls": self.calls, "errors": self.errors, "seconds": round(self.seconds, 2),
                "concurrency": self.concurrency, "client_cpu_percent": self.client_cpu_percent,
                "host_cpu_percent": self.host_cpu_percent,
                "cpu_percent": self.cpu_percent, "reconnects": self.reconnects,
                "first_error": self.first_error}


def _host_cpu() -> tuple[int, int] | None:
    """(busy, total) jiffies of the whole machine, from /proc/stat (None elsewhere)."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(value) for value in stat.readline().split()[1:]]
    except OSError:
        return None
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def measure(name: str, make_client: Callable[[], Client], concurrency: int,
            warmup: float, duration: float,
            probe: Callable[[], dict[str, float]] | None = None) -> Result:
    """Run ``concurrency`` threads for ``warmup`` then ``duration`` seconds; count the latter.

    Clients are made (connections opened) before the clock starts; a call counts when it
    starts inside the measured window. Errors (False or an exception) are counted, not timed.
    ``probe`` gives CPU seconds per process so far; its use in the window is reported.
    """
    result = Result(name, concurrency, duration)
    lock = threading.Lock()
    clients: list[Client | None] = [None] * concurrency
    window: dict[str, float] = {}

    def start_clock() -> None:
        window["from"] = time.perf_counter() + warmup
        window["to"] = window["from"] + duration

    barrier = threading.Barrier(concurrency + 1, action=start_clock)
    finished: list[float] = []
    failures: list[Exception] = []

    def worker(index: int) -> None:
        try:
            clients[index] = make_client()
        except Exception as error:
            failures.append(error)
        barrier.wait()
        client = clients[index]
        if client is None:
            return
        latencies: list[float] = []
        errors = 0
        while (started := time.perf_counter()) < window["to"]:
            try:
                ok = client.call()
            except Exception as error:
                ok, result.first_error = False, result.first_error or repr(error)
            if started >= window["from"]:
                if ok:
                    latencies.append((time.perf_counter() - started) * 1000)
                else:
                    errors += 1
        with lock:
            result.latencies_ms.extend(latencies)
            result.errors += errors
            finished.append(time.perf_counter())

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    barrier.wait()
    time.sleep(max(0.0, window["from"] - time.perf_counter()))
    cpu, host, used = time.process_time(), _host_cpu(), probe() if probe else {}
    time.sleep(max(0.0, window["to"] - time.perf_counter()))
    cpu_after, host_after, used_after = time.process_time(), _host_cpu(), probe() if probe else {}
    for thread in threads:
        thread.join()
    for client in clients:
        if client is not None:
            result.reconnects += getattr(client, "reconnects", 0)  # keep-alive refused
            client.close()
    if failures:
        raise RuntimeError(f"{name}: {len(failures)} client(s) failed to connect: {failures[0]!r}")
    result.seconds = max(finished, default=window["to"]) - window["from"]
    result.calls = len(result.latencies_ms)
    result.client_cpu_percent = round(100 * (cpu_after - cpu) / duration, 1)
    result.cpu_percent = {process: round(100 * (used_after[process] - used[process]) / duration, 1)
                          for process in used}
    if host and host_after and host_after[1] > host[1]:
        result.host_cpu_percent = round(
            100 * (host_after[0] - host[0]) / (host_after[1] - host[1]), 1)
    return result
