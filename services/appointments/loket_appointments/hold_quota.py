# SPDX-License-Identifier: EUPL-1.2
"""The per-client hold limit, kept atomically: one document per client lists its live holds.

A hold takes a place with one conditional update (``$push`` only while the list has fewer
than ``limit`` entries), so concurrent holds of one client cannot pass the limit together,
as a count followed by an insert could. The place is given back when the hold ends
(released, expired, confirmed); one never given back (a crash between two writes) frees
itself when its hold's time runs out: a full list drops its expired entries and is tried again.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from loket_common.mongo import TenantCollection

COLLECTION = "hold_quotas"


def ensure_quota_indexes(database: Database) -> None:
    """One quota document per tenant and client."""
    database[COLLECTION].create_index([("tenant", ASCENDING), ("client_key", ASCENDING)],
                                      unique=True)


class HoldQuota:
    """The live holds of each client of one tenant."""

    def __init__(self, database: Database, tenant: str) -> None:
        self.quotas = TenantCollection(database[COLLECTION], tenant)

    def take(self, client_key: str, hold_id: str, expires_at: datetime, now: datetime,
             limit: int) -> bool:
        """Take a place for ``hold_id`` if the client has fewer than ``limit`` live holds."""
        if limit < 1:
            return False
        if self._push(client_key, hold_id, expires_at, limit):
            return True
        # full, or no document yet (when the push was tried): drop the holds that ran out,
        # create the document if missing, then try once more
        dropped = self.quotas.update_one({"client_key": client_key},
                                         {"$pull": {"holds": {"expires_at": {"$lte": now}}}})
        if dropped.matched_count == 0:  # created first: an upsert racing on it is unreliable
            self._ensure(client_key)
        return self._push(client_key, hold_id, expires_at, limit)

    def give_back(self, client_key: str | None, hold_id: str, session: Any = None) -> None:
        """The hold ``hold_id`` ended: its place is free (again: no change)."""
        if client_key:
            self.quotas.update_one({"client_key": client_key},
                                   {"$pull": {"holds": {"id": hold_id}}}, session=session)

    def _push(self, client_key: str, hold_id: str, expires_at: datetime, limit: int) -> bool:
        taken = self.quotas.update_one(
            {"client_key": client_key, f"holds.{limit - 1}": {"$exists": False}},
            {"$push": {"holds": {"id": hold_id, "expires_at": expires_at}}})
        return taken.modified_count == 1

    def _ensure(self, client_key: str) -> None:
        try:
            self.quotas.insert_one({"client_key": client_key, "holds": []})
        except DuplicateKeyError:
            pass
