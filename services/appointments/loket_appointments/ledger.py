# SPDX-License-Identifier: EUPL-1.2
"""The slot ledger: which time units of each counter's day are taken, guarded atomically.

One document per (tenant, office, counter, day) lists the taken units and the
claims (holds and bookings) that took them. A claim is one conditional update:
it succeeds only if none of its units is taken, so no unit is ever sold twice,
whatever the concurrency.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from pymongo import ASCENDING
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from loket_common.mongo import TenantCollection

COLLECTION = "counter_days"


def ensure_ledger_indexes(database: Database) -> None:
    """One document per counter and day, found by tenant first."""
    database[COLLECTION].create_index(
        [("tenant", ASCENDING), ("office_id", ASCENDING), ("day", ASCENDING),
         ("counter_id", ASCENDING)], unique=True)


class SlotLedger:
    """Claims and releases of time units on one tenant's counters."""

    def __init__(self, database: Database, tenant: str) -> None:
        self.days = TenantCollection(database[COLLECTION], tenant)

    @staticmethod
    def _key(office_id: str, counter_id: str, day: date) -> dict[str, Any]:
        return {"office_id": office_id, "counter_id": counter_id, "day": day.isoformat()}

    def claim(self, office_id: str, counter_id: str, day: date, units: list[int],
              claim_id: str) -> bool:
        """Take ``units`` for ``claim_id`` if all are free; True when taken."""
        key = self._key(office_id, counter_id, day)
        try:
            # Create the day first: an upserting conditional update can report no
            # match while racing another one (see docs/architecture.md).
            self.days.insert_one({**key, "units": [], "claims": []})
        except DuplicateKeyError:
            pass
        result = self.days.update_one(
            {**key, "units": {"$nin": units}},
            {"$push": {"units": {"$each": units}, "claims": {"id": claim_id, "units": units}}})
        return result.modified_count == 1

    def release(self, office_id: str, counter_id: str, day: date, claim_id: str,
                session: Any = None) -> bool:
        """Give back the units of ``claim_id``; True when it held any.

        ``session``: inside a caller's transaction.
        """
        key = self._key(office_id, counter_id, day)
        document = self.days.find_one({**key, "claims.id": claim_id}, {"claims": 1},
                                      session=session)
        if document is None:
            return False
        units = next(claim["units"] for claim in document["claims"] if claim["id"] == claim_id)
        result = self.days.update_one(
            {**key, "claims.id": claim_id},
            {"$pull": {"units": {"$in": units}, "claims": {"id": claim_id}}}, session=session)
        return result.modified_count == 1

    def occupied_at(self, days_by_office: Mapping[str, list[date]],
                    ) -> dict[str, dict[tuple[str, date], set[int]]]:
        """:meth:`occupied` of several offices (each with its days) in one query."""
        taken: dict[str, dict[tuple[str, date], set[int]]] = {
            office_id: {} for office_id in days_by_office}
        wanted = {office_id: {day.isoformat() for day in days}
                  for office_id, days in days_by_office.items()}
        every_day = sorted(set().union(*wanted.values())) if wanted else []
        for document in self.days.find(
                {"office_id": {"$in": list(days_by_office)}, "day": {"$in": every_day}},
                {"office_id": 1, "counter_id": 1, "day": 1, "units": 1}):
            if document["day"] in wanted[document["office_id"]]:
                taken[document["office_id"]][(document["counter_id"], date.fromisoformat(
                    document["day"]))] = set(document["units"])
        return taken

    def occupied(self, office_id: str, days: Iterable[date]) -> dict[tuple[str, date], set[int]]:
        """Taken units per (counter, day) of one office on ``days``."""
        return self.occupied_at({office_id: list(days)})[office_id]
