# SPDX-License-Identifier: EUPL-1.2
"""Rebuild a month's live cells from its facts, or check them against the facts.

Safe while events keep coming, without stopping the handlers:

1. The facts of the month are streamed (a projection, big batches) and counted; the ids
   seen are kept, and the time the scan started.
2. One transaction then reads again the month's facts that arrived from shortly before the
   scan started (``at >= started - LATE_SLACK``) and adds those the scan missed, reads the
   month's cells, and writes only the cells that differ (and deletes those no fact backs).

A fact is inserted in the same transaction as its cell ``$inc``, with its ``at`` taken in
that transaction (a transaction lives well below ``LATE_SLACK``). So an event counted while
the scan ran is in the scan (its id is seen) or in the late read, and never counted twice.
An event committed after step 2's snapshot is not in it: if it counts into a cell step 2
writes, the two transactions conflict and step 2 runs again (its snapshot then holds the
fact); if it counts into a cell step 2 leaves alone, its ``$inc`` stands. Nothing is lost
or doubled.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import DeleteOne, ReplaceOne
from pymongo.client_session import ClientSession
from pymongo.database import Database

from loket_common.mongo import retried_transaction
from loket_contracts.statistics.measures import LEAD_TIME

from .fact_store import CELLS, FACTS, FactStore, cell_id

LATE_SLACK = timedelta(seconds=120)
BATCH = 20000
FIELDS = {"_id": 1, "process": 1, "channel": 1, "measure": 1, "lead_days": 1}


@dataclass
class Tally:
    """The cells one month's facts make: key -> n, and lead days per lead-time cell."""

    counts: dict[tuple[str, str, str], int] = field(default_factory=dict)
    days: dict[tuple[str, str, str], list[float]] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)

    def add(self, fact: dict[str, Any]) -> None:
        """Count one fact document (once, by its id)."""
        if fact["_id"] in self.seen:
            return
        self.seen.add(fact["_id"])
        key = (fact["process"], fact["channel"], fact["measure"])
        self.counts[key] = self.counts.get(key, 0) + 1
        if fact["measure"] == LEAD_TIME and fact.get("lead_days") is not None:
            self.days.setdefault(key, []).append(fact["lead_days"])

    def cells(self, tenant: str, month: str) -> dict[str, dict[str, Any]]:
        """The cell documents (the tenant stamped on writing) by ``_id``."""
        found = {}
        for (process, channel, measure), n in self.counts.items():
            cell: dict[str, Any] = {"month": month, "process": process, "channel": channel,
                                    "measure": measure, "shard": 0, "n": n}
            if measure == LEAD_TIME:
                cell["days"] = sorted(self.days.get((process, channel, measure), []))
            found[cell_id(tenant, (month, process, channel, measure))] = cell  # shard 0
        return found


def same_cell(shards: list[dict[str, Any]], rebuilt: dict[str, Any]) -> bool:
    """True when a stored cell's shards add up to what the facts make of it."""
    days = sorted(day for shard in shards for day in shard.get("days") or [])
    return (sum(shard.get("n", 0) for shard in shards) == rebuilt["n"]
            and days == (rebuilt.get("days") or []))


@dataclass(frozen=True)
class MonthResult:
    """What rebuilding or checking one month found."""

    tenant: str
    month: str
    facts: int
    differing: list[str]


class Rebuild(FactStore):
    """Rebuilds (or checks) one tenant's months."""

    def months(self) -> list[str]:
        """Every month with facts or cells."""
        return sorted(set(self.facts.distinct("month")) | set(self.cells.distinct("month")))

    def scan(self, month: str, batch_size: int = BATCH) -> tuple[Tally, datetime]:
        """The month's facts counted, and when the scan began."""
        started, tally = datetime.now(UTC), Tally()
        for fact in self.facts.find({"month": month}, FIELDS, batch_size=batch_size):
            tally.add(fact)
        return tally, started

    def month(self, month: str, check: bool = False,
              after_scan: Callable[[], None] | None = None) -> MonthResult:
        """Rebuild ``month``'s cells (``check``: only compare); ``after_scan``: a test's hook."""
        tally, started = self.scan(month)
        if after_scan is not None:
            after_scan()
        scanned = len(tally.seen)

        def apply(session: ClientSession) -> list[str]:
            late = Tally(dict(tally.counts), {key: list(days) for key, days in
                                               tally.days.items()}, set(tally.seen))
            for fact in self.facts.find({"month": month, "at": {"$gte": started - LATE_SLACK}},
                                        FIELDS, session=session):
                late.add(fact)
            return self._write(month, late.cells(self.tenant, month), session, check)

        differing = retried_transaction(self.database, apply, attempts=10)
        return MonthResult(self.tenant, month, scanned, differing)

    def _write(self, month: str, rebuilt: dict[str, dict[str, Any]], session: ClientSession,
               check: bool) -> list[str]:
        """Write the cells that differ (unless ``check``), each as one shard; their ids."""
        stored: dict[str, list[dict[str, Any]]] = {}
        for shard in self.cells.find({"month": month}, session=session):
            cell_key = (shard["month"], shard["process"], shard["channel"], shard["measure"])
            stored.setdefault(cell_id(self.tenant, cell_key), []).append(shard)
        operations: list[ReplaceOne | DeleteOne] = []
        differing: list[str] = []
        for key in sorted(rebuilt.keys() | stored.keys()):
            shards = stored.get(key, [])
            if key in rebuilt and same_cell(shards, rebuilt[key]):
                continue
            differing.append(key)
            # only the shards this transaction saw: a shard counted into since conflicts
            operations += [DeleteOne({"_id": shard["_id"]}) for shard in shards
                           if shard["_id"] != key]
            if key in rebuilt:
                operations.append(ReplaceOne({"_id": key}, {"_id": key, **rebuilt[key]},
                                             upsert=True))
            elif any(shard["_id"] == key for shard in shards):
                operations.append(DeleteOne({"_id": key}))
        if operations and not check:
            self.cells.bulk_write(operations, ordered=False, session=session)
        return differing


def rebuild_tenant(database: Database, tenant: str, months: Iterable[str] | None = None,
                   check: bool = False,
                   progress: Callable[[MonthResult], None] | None = None) -> list[MonthResult]:
    """Rebuild (or check) ``months`` of ``tenant`` (default: every month it has)."""
    rebuild = Rebuild(database, tenant)
    results = []
    for month in months if months is not None else rebuild.months():
        result = rebuild.month(month, check)
        results.append(result)
        if progress is not None:
            progress(result)
    return results


def tenants_with_facts(database: Database) -> list[str]:
    """Every tenant that has facts or cells (the operator's command spans tenants)."""
    return sorted(set(database[FACTS].distinct("tenant")) | set(database[CELLS].distinct("tenant")))
