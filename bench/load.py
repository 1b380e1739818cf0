# SPDX-License-Identifier: EUPL-1.2
"""A closed-loop load generator: N threads call a function for a fixed time."""
from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Result:
    """Throughput and latency of one measured call."""

    name: str
    calls: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def per_second(self) -> float:
        """Successful calls per second."""
        return self.calls / self.seconds

    def percentile(self, q: float) -> float:
        """Latency percentile in ms (q in 0..100)."""
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(len(ordered) * q / 100))] if ordered else 0.0

    def row(self) -> dict:
        """The figures as a dict (for JSON and the table)."""
        return {"name": self.name, "per_second": round(self.per_second, 1),
                "p50_ms": round(self.percentile(50), 2), "p99_ms": round(self.percentile(99), 2),
                "median_check": round(statistics.median(self.latencies_ms or [0]), 2),
                "calls": self.calls, "errors": self.errors}


def measure(name: str, make_call: Callable[[], Callable[[], bool]], concurrency: int,
            seconds: float) -> Result:
    """Run ``concurrency`` threads, each with its own ``make_call()``, for ``seconds``."""
    latencies: list[float] = []
    counts = {"calls": 0, "errors": 0}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker() -> None:
        call = make_call()
        local: list[float] = []
        ok_calls = errors = 0
        while time.monotonic() < deadline:
            started = time.perf_counter()
            ok = call()
            local.append((time.perf_counter() - started) * 1000)
            ok_calls += ok
            errors += not ok
        with lock:
            latencies.extend(local)
            counts["calls"] += ok_calls
            counts["errors"] += errors

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Result(name, counts["calls"], counts["errors"], time.monotonic() - started, latencies)
