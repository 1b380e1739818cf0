# SPDX-License-Identifier: EUPL-1.2
"""The facts (the history the figures are rebuilt from) and the live cells they count into.

A fact is ``{_id: "<event id>:<measure>", tenant, month, process, channel, measure, at}``
(``lead_days`` for ``lead_time`` facts): no subject, no id of a case or a booking. Its
``_id`` is the handled marker: the facts are inserted with one ``insert_many`` and each
cell gets one ``$inc`` (a lead time also a ``$push``) in the same transaction, so a
redelivered event finds its facts and counts once. No separate marker document, and the
events that arrive together (:mod:`.group_commit`) share one transaction and one ``$inc``
per cell: the fewest writes per event.

A cell is ``{_id, tenant, month, process, channel, measure, shard, n}`` (``days``: the lead
times, for ``lead_time`` cells), kept in up to ``SHARDS`` documents whose counts add up:
every event of a busy process counts into the same cell, and concurrent transactions on one
document conflict. Its ``_id`` is derived from its key and shard, so concurrent first counts
of a shard meet on one document (a write conflict, retried) instead of making two.
"""
from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING, UpdateOne
from pymongo.client_session import ClientSession
from pymongo.database import Database
from pymongo.errors import BulkWriteError, DuplicateKeyError, PyMongoError

from loket_common.mongo import TenantCollection, retried_transaction
from loket_contracts.statistics.measures import LEAD_TIME

from .cells import MonthCells
from .intake import Fact

FACTS = "facts"
DUPLICATE_KEY = 11000
ATTEMPTS = 12  # transactions of other instances may meet on a cell shard: run again
SHARDS = 16  # documents per cell, so concurrent transactions rarely meet on a hot one
CELLS = "cells"
CellKey = tuple[str, str, str, str]  # month, process, channel, measure


def is_duplicate(error: PyMongoError) -> bool:
    """True for a duplicate key, from a single write or from a bulk one."""
    if isinstance(error, BulkWriteError):
        return any(item.get("code") == DUPLICATE_KEY
                   for item in error.details.get("writeErrors", []))
    return isinstance(error, DuplicateKeyError)


def cell_id(tenant: str, key: CellKey, shard: int = 0) -> str:
    """A cell shard's ``_id``: its key and shard, written out (``|`` is in no key's alphabet)."""
    return "|".join((tenant, *key, str(shard)))


def fact_document(event_id: str, fact: Fact, at: datetime) -> dict[str, Any]:
    """The stored form of ``fact`` of event ``event_id``."""
    document: dict[str, Any] = {"_id": f"{event_id}:{fact.measure}", "month": fact.month,
                                "process": fact.process, "channel": fact.channel,
                                "measure": fact.measure, "at": at}
    if fact.lead_days is not None:
        document["lead_days"] = fact.lead_days
    return document


def cell_updates(tenant: str, facts: Iterable[Fact], shard: int = 0) -> list[UpdateOne]:
    """One upserting ``$inc`` per cell the facts count into, in ``shard`` (lead days pushed)."""
    updates: dict[CellKey, dict[str, Any]] = {}
    for fact in facts:
        key = (fact.month, fact.process, fact.channel, fact.measure)
        update = updates.setdefault(key, {"$inc": {"n": 0}})
        update["$inc"]["n"] += 1
        if fact.lead_days is not None:
            update.setdefault("$push", {"days": {"$each": []}})["days"]["$each"].append(
                fact.lead_days)
    return [UpdateOne({"_id": cell_id(tenant, key, shard), "month": key[0], "process": key[1],
                       "channel": key[2], "measure": key[3], "shard": shard}, update,
                      upsert=True)
            for key, update in updates.items()]


def cells_of(tenant: str, month: str, documents: Iterable[dict[str, Any]]) -> MonthCells:
    """:class:`MonthCells` from the cell documents of one month (shards added up)."""
    counts: dict[tuple[str, str, str], int] = {}
    lead: dict[tuple[str, str], list[float]] = {}
    for cell in documents:
        if cell["measure"] == LEAD_TIME:
            lead.setdefault((cell["process"], cell["channel"]), []).extend(cell.get("days", []))
        else:
            key = (cell["measure"], cell["process"], cell["channel"])
            counts[key] = counts.get(key, 0) + int(cell["n"])
    return MonthCells(tenant, month, {key: n for key, n in counts.items() if n > 0},
                      {key: sorted(days) for key, days in lead.items() if days})


def ensure_fact_indexes(database: Database) -> None:
    """Facts by tenant, month and arrival (the rebuild's scan); cells by tenant and month."""
    database[FACTS].create_index([("tenant", ASCENDING), ("month", ASCENDING),
                                  ("at", ASCENDING)])
    database[CELLS].create_index([("tenant", ASCENDING), ("month", ASCENDING)])


@dataclass(frozen=True)
class Counted:
    """The facts of one event of one tenant, to be counted once."""

    tenant: str
    event_id: str
    facts: list[Fact]

    @property
    def fact_ids(self) -> list[str]:
        """The ``_id`` of each fact."""
        return [f"{self.event_id}:{fact.measure}" for fact in self.facts]


def count_once(database: Database, batch: list[Counted]) -> list[bool]:
    """Count every event of ``batch`` not counted before, in one transaction; which were new.

    The facts already stored (another delivery, committed) and repeats within the batch are
    left out; a clash with a delivery committing meanwhile, or with another instance on a
    cell shard, runs the transaction again (on another shard). ``at`` is taken in the
    transaction: the rebuild relies on it.
    """
    fresh: list[bool] = []

    def apply(session: ClientSession) -> None:
        fresh[:] = []
        at, shard = datetime.now(UTC), random.randrange(SHARDS)  # noqa: S311 (no secret)
        taken = _stored_ids(database, batch, session)
        by_tenant: dict[str, list[tuple[str, Fact]]] = {}
        for item in batch:
            new = bool(item.facts) and not taken & set(item.fact_ids)
            fresh.append(new)
            if new:
                taken.update(item.fact_ids)
                by_tenant.setdefault(item.tenant, []).extend(
                    (item.event_id, fact) for fact in item.facts)
        for tenant, facts in by_tenant.items():
            TenantCollection(database[FACTS], tenant).insert_many(
                [fact_document(event_id, fact, at) for event_id, fact in facts],
                ordered=False, session=session)
            TenantCollection(database[CELLS], tenant).bulk_write(
                cell_updates(tenant, [fact for _, fact in facts], shard), ordered=False,
                session=session)

    if any(item.facts for item in batch):
        retried_transaction(database, apply, attempts=ATTEMPTS, retry_also=is_duplicate)
    return fresh or [False] * len(batch)


def _stored_ids(database: Database, batch: list[Counted],
                session: ClientSession) -> set[str]:
    """Which facts of ``batch`` are stored already."""
    ids = [fact_id for item in batch for fact_id in item.fact_ids]
    return {found["_id"] for found in database[FACTS].find({"_id": {"$in": ids}}, {"_id": 1},
                                                             session=session)}


class FactStore:
    """One tenant's facts and cells."""

    def __init__(self, database: Database, tenant: str) -> None:
        self.database = database
        self.tenant = tenant
        self.facts = TenantCollection(database[FACTS], tenant)
        self.cells = TenantCollection(database[CELLS], tenant)

    def record(self, event_id: str, facts: list[Fact]) -> bool:
        """Count ``facts`` of event ``event_id`` once; False when they were counted before."""
        return count_once(self.database, [Counted(self.tenant, event_id, facts)])[0]

    def month_cells(self, month: str) -> MonthCells:
        """The month's live counts and lead times, unsuppressed."""
        return cells_of(self.tenant, month, self.cells.find({"month": month}, {"_id": 0}))

    def months_cells(self, first_month: str, last_month: str) -> dict[str, MonthCells]:
        """The live cells of every month from ``first_month`` to ``last_month`` with data."""
        by_month: dict[str, list[dict[str, Any]]] = {}
        for cell in self.cells.find({"month": {"$gte": first_month, "$lte": last_month}},
                                    {"_id": 0}):
            by_month.setdefault(cell["month"], []).append(cell)
        return {month: cells_of(self.tenant, month, cells) for month, cells in by_month.items()}
