# SPDX-License-Identifier: EUPL-1.2
"""The case workers' queue at store level: seed synthetic cases, time filtered pages.

``seed(database, ...)`` inserts the synthetic tenants (with their queue counters);
``time_pages(fetch, ...)`` times each query shape through ``fetch(query) -> page`` (the
store, or the gateway route with ``gateway_fetch``) and returns p50/p99 in ms. Run alone::

    .venv/bin/python -m bench.case_queue [--mongo-uri URI] [--cases 100000] [--repeats 100]

Without ``--mongo-uri`` it starts its own SecantusDB on a free port (the venv's
``secantusd-py``, a temporary storage directory). With ``--through-gateway`` it starts the
whole system as ``make bench`` does, seeds the permits service's database and times
``GET /api/v1/tenants/musterstadt/cases`` (one keep-alive connection, a case worker's token).
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from pymongo import MongoClient
from pymongo.database import Database

from loket_permits.cases import CaseDesk, ensure_case_indexes
from loket_permits.synthetic import insert_synthetic_cases
from loket_permits.type_catalogue import TypeCatalogue

TENANT = "musterstadt"
OTHER = "beispielstadt"
LIMIT = 50
DEEP_STEPS = 20
SHAPES: dict[str, dict[str, Any]] = {
    "type+state": {"type_id": "residents-parking", "state": "submitted"},
    "state": {"state": "in_review"},
    "assigned_to=nobody": {"assigned_to": "nobody"},
    "overdue": {"overdue": True},
    "unfiltered": {},
}
Fetch = Callable[[dict[str, Any]], dict[str, Any]]


def seed(database: Database, cases: int = 100_000, others: int = 10_000) -> dict[str, float]:
    """Indexes, then ``cases`` synthetic cases in TENANT and ``others`` in OTHER; seconds."""
    types = TypeCatalogue.load()
    started = time.perf_counter()
    ensure_case_indexes(database)
    insert_synthetic_cases(database, TENANT, cases,
                           [item["id"] for item in types.types(TENANT)], seed=1)
    insert_synthetic_cases(database, OTHER, others,
                           [item["id"] for item in types.types(OTHER)], seed=2)
    return {"seed_s": round(time.perf_counter() - started, 1)}


def store_fetch(database: Database, tenant: str = TENANT) -> Fetch:
    """``fetch`` straight against the store (CaseDesk.queue, what the RPC calls)."""
    desk = CaseDesk(database, tenant, TypeCatalogue.load())
    return desk.queue


def gateway_fetch(base_url: str, token: str, tenant: str = TENANT) -> Fetch:
    """``fetch`` through the gateway's case queue route, as a case worker."""
    host, port = base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    headers = {"Authorization": f"Bearer {token}"}

    def fetch(query: dict[str, Any]) -> dict[str, Any]:
        params = {key: ("true" if value is True else "false" if value is False else value)
                  for key, value in query.items() if value is not None}
        connection.request("GET", f"/api/v1/tenants/{tenant}/cases?{urlencode(params)}",
                           headers=headers)
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"queue answered {response.status}: {body[:300]!r}")
        return json.loads(body)
    return fetch


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    pick = lambda share: ordered[min(len(ordered) - 1, int(share * len(ordered)))]  # noqa: E731
    return {"p50_ms": round(pick(0.50) * 1000, 1), "p99_ms": round(pick(0.99) * 1000, 1),
            "n": len(ordered)}


def _timed(fetch: Fetch, query: dict[str, Any], repeats: int) -> tuple[dict[str, float], Any]:
    samples: list[float] = []
    for _ in range(repeats):
        started = time.perf_counter()
        page = fetch(query)
        samples.append(time.perf_counter() - started)
    return {**_percentiles(samples), "items": len(page["items"]),
            "total": page["total"]}, page


def time_pages(fetch: Fetch, repeats: int = 100, limit: int = LIMIT,
               deep_steps: int = DEEP_STEPS) -> dict[str, dict[str, Any]]:
    """p50/p99 (ms) of the first page of each shape, and of its page after ``deep_steps``."""
    results: dict[str, dict[str, Any]] = {}
    for name, shape in SHAPES.items():
        query = {**shape, "limit": limit, "after": None}
        fetch(query)  # warm-up
        results[f"{name}, first page"], page = _timed(fetch, query, repeats)
        for _ in range(deep_steps - 1):
            if page["next"] is None:
                break
            page = fetch({**query, "after": page["next"]})
        if page["next"] is not None:
            results[f"{name}, page {deep_steps + 1}"] = _timed(
                fetch, {**query, "after": page["next"]}, repeats)[0]
    return results


@contextmanager
def secantusdb() -> Iterator[str]:
    """A fresh SecantusDB of this venv on a free port, for the run."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    data_dir = tempfile.mkdtemp(prefix="loket-bench-queue-")
    server = Path(sys.executable).with_name("secantusd-py")
    process = subprocess.Popen(  # noqa: S603 (our own venv's server binary)
        [str(server), "--host", "127.0.0.1", "--port", str(port), "--storage-path", data_dir],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("SecantusDB did not start") from None
                time.sleep(0.1)
        yield f"mongodb://127.0.0.1:{port}/?retryWrites=false"
    finally:
        process.terminate()
        process.wait(10)
        shutil.rmtree(data_dir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mongo-uri", default=os.environ.get("LOKET_BENCH_MONGO_URI"))
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--others", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=100)
    parser.add_argument("--through-gateway", action="store_true",
                        help="time the gateway route of a running system (started here)")
    args = parser.parse_args()
    if args.through_gateway:
        _through_gateway(args)
        return
    with (secantusdb() if not args.mongo_uri else _given(args.mongo_uri)) as uri:
        client: MongoClient[dict[str, Any]] = MongoClient(uri, tz_aware=True)
        database = client[f"bench_queue_{os.getpid()}"]
        try:
            print(seed(database, args.cases, args.others), flush=True)
            for name, figures in time_pages(store_fetch(database), args.repeats).items():
                print(f"{name:32} {figures}", flush=True)
        finally:
            client.drop_database(database.name)
            client.close()


def _through_gateway(args: argparse.Namespace) -> None:
    from bench.run import running_system

    with running_system() as (system, _):
        client: MongoClient[dict[str, Any]] = MongoClient(system.mongo_uri, tz_aware=True)
        database = client[os.environ.get("PERMITS_MONGO_DATABASE", "loket_permits")]
        print(seed(database, args.cases, args.others), flush=True)
        client.close()
        # David, the demo case worker, signed in at the development identity provider.
        fetch = gateway_fetch(system.url, system.token_for("david"))
        for name, figures in time_pages(fetch, args.repeats).items():
            print(f"{name:32} {figures}", flush=True)


@contextmanager
def _given(uri: str) -> Iterator[str]:
    yield uri


if __name__ == "__main__":
    main()
