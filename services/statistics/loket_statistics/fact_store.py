# SPDX-License-Identifier: EUPL-1.2
"""The facts (the history the figures are rebuilt from) and the live cells they count into.

A fact is ``{_id: "<event id>:<measure>", tenant, month, process, channel, measure, at}``
(``lead_days`` for ``lead_time`` facts): no subject, no id of a case or a booking. Its
``_id`` is the handled marker: the facts of one event are inserted with one ``insert_many``
and each cell gets one ``$inc`` (a lead time also a ``$push``) in the same transaction, so
a redelivered event clashes on its first fact and counts once. That is the fewest writes an
event can take: no separate marker document, one write per counted cell.

A cell is ``{_id, tenant, month, process, channel, measure, n}`` (``days``: the sorted-later
lead times, for ``lead_time`` cells); its ``_id`` is derived from its key, so concurrent
first counts of a cell meet on one document (a write conflict, retried) instead of making two.
"""
from __future__ import annotations

from collections.abc import Iterable
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
CELLS = "cells"
CellKey = tuple[str, str, str, str]  # month, process, channel, measure


def is_duplicate(error: PyMongoError) -> bool:
    """True for a duplicate key, from a single write or from a bulk one."""
    if isinstance(error, BulkWriteError):
        return any(item.get("code") == DUPLICATE_KEY
                   for item in error.details.get("writeErrors", []))
    return isinstance(error, DuplicateKeyError)


def cell_id(tenant: str, key: CellKey) -> str:
    """The cell's ``_id``: its key, written out (``|`` is in no key's alphabet)."""
    return "|".join((tenant, *key))


def fact_document(event_id: str, fact: Fact, at: datetime) -> dict[str, Any]:
    """The stored form of ``fact`` of event ``event_id``."""
    document: dict[str, Any] = {"_id": f"{event_id}:{fact.measure}", "month": fact.month,
                                "process": fact.process, "channel": fact.channel,
                                "measure": fact.measure, "at": at}
    if fact.lead_days is not None:
        document["lead_days"] = fact.lead_days
    return document


def cell_updates(tenant: str, facts: Iterable[Fact]) -> list[UpdateOne]:
    """One upserting ``$inc`` per cell the facts count into (lead times pushed to ``days``)."""
    updates: dict[CellKey, dict[str, Any]] = {}
    for fact in facts:
        key = (fact.month, fact.process, fact.channel, fact.measure)
        update = updates.setdefault(key, {"$inc": {"n": 0}})
        update["$inc"]["n"] += 1
        if fact.lead_days is not None:
            update.setdefault("$push", {"days": {"$each": []}})["days"]["$each"].append(
                fact.lead_days)
    return [UpdateOne({"_id": cell_id(tenant, key), "month": key[0], "process": key[1],
                       "channel": key[2], "measure": key[3]}, update, upsert=True)
            for key, update in updates.items()]


def cells_of(tenant: str, month: str, documents: Iterable[dict[str, Any]]) -> MonthCells:
    """:class:`MonthCells` from the cell documents of one month."""
    counts: dict[tuple[str, str, str], int] = {}
    lead: dict[tuple[str, str], list[float]] = {}
    for cell in documents:
        if cell["measure"] == LEAD_TIME:
            lead.setdefault((cell["process"], cell["channel"]), []).extend(cell.get("days", []))
        elif cell["n"] > 0:
            counts[(cell["measure"], cell["process"], cell["channel"])] = int(cell["n"])
    return MonthCells(tenant, month, counts, {key: sorted(days) for key, days in lead.items()})


def ensure_fact_indexes(database: Database) -> None:
    """Facts by tenant, month and arrival (the rebuild's scan); cells by tenant and month."""
    database[FACTS].create_index([("tenant", ASCENDING), ("month", ASCENDING),
                                  ("at", ASCENDING)])
    database[CELLS].create_index([("tenant", ASCENDING), ("month", ASCENDING)])


class FactStore:
    """One tenant's facts and cells."""

    def __init__(self, database: Database, tenant: str) -> None:
        self.database = database
        self.tenant = tenant
        self.facts = TenantCollection(database[FACTS], tenant)
        self.cells = TenantCollection(database[CELLS], tenant)

    def record(self, event_id: str, facts: list[Fact]) -> bool:
        """Count ``facts`` of event ``event_id`` once; False when they were counted before."""
        if not facts:
            return False

        def apply(session: ClientSession) -> None:
            at = datetime.now(UTC)
            self.facts.insert_many([fact_document(event_id, fact, at) for fact in facts],
                                   ordered=True, session=session)
            self.cells.bulk_write(cell_updates(self.tenant, facts), ordered=False,
                                  session=session)

        first_id = fact_document(event_id, facts[0], datetime.now(UTC))["_id"]
        try:
            retried_transaction(self.database, apply,
                                retry_also=lambda error: self._cell_clash(error, first_id))
        except PyMongoError as error:
            if not is_duplicate(error):
                raise
            if self.facts.find_one({"_id": first_id}, {"_id": 1}) is not None:
                return False  # another delivery of the event, committed: counted already
            raise
        return True

    def _cell_clash(self, error: PyMongoError, first_id: str) -> bool:
        """A duplicate key that is not the event's own fact: two first counts of a cell."""
        return (is_duplicate(error)
                and self.facts.find_one({"_id": first_id}, {"_id": 1}) is None)

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
