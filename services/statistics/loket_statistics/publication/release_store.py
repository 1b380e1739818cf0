# SPDX-License-Identifier: EUPL-1.2
"""The ``releases`` collection: insert-only, numbered 1, 2, ... per tenant, never updated.

The unique index on (tenant, number) decides a race: two instances publishing at once
both try number n, one insert wins, the loser re-reads and tries again on the new chain
(or finds that the winner already published what it wanted, see :meth:`append`).
"""
from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from loket_common.mongo import TenantCollection

from .chain import release_hash

RELEASES = "releases"
# Concurrent publishers each lose at most once per release another one appends meanwhile.
APPEND_ATTEMPTS = 10
WITHOUT_CONTENT = {"files.content": 0}
# What an attempt at appending is given (the tenant's newest release or None, and the number
# the new one gets) and answers: the new release's fields (without number, hashes and id),
# or None when there is nothing to append (the winner of a race already published it).
Attempt = Callable[[dict[str, Any] | None, int], dict[str, Any] | None]


def _public(document: dict[str, Any] | None) -> dict[str, Any] | None:
    """A stored release with ``id`` for ``_id``."""
    if document is None:
        return None
    release = {key: value for key, value in document.items() if key != "_id"}
    release["id"] = document["_id"]
    return release


class ReleaseStore:
    """A tenant's releases."""

    def __init__(self, database: Database, tenant: str) -> None:
        self.documents = TenantCollection(database[RELEASES], tenant)
        self.tenant = tenant

    @staticmethod
    def ensure_indexes(database: Database) -> None:
        """The unique chain position and the look-up by month."""
        database[RELEASES].create_index([("tenant", ASCENDING), ("number", ASCENDING)],
                                        unique=True)
        database[RELEASES].create_index([("tenant", ASCENDING), ("month", ASCENDING),
                                         ("number", DESCENDING)])

    def newest(self, with_content: bool = False) -> dict[str, Any] | None:
        """The tenant's newest release."""
        return _public(self.documents.find_one(
            {}, None if with_content else WITHOUT_CONTENT, sort=[("number", DESCENDING)]))

    def all(self, with_content: bool = False) -> list[dict[str, Any]]:
        """Every release, newest first."""
        cursor = self.documents.find({}, None if with_content else WITHOUT_CONTENT,
                                      sort=[("number", DESCENDING)])
        return [release for release in map(_public, cursor) if release]

    def get(self, number: int, with_content: bool = False) -> dict[str, Any] | None:
        """Release ``number``, or None."""
        return _public(self.documents.find_one(
            {"number": number}, None if with_content else WITHOUT_CONTENT))

    def of_month(self, month: str, with_content: bool = False) -> dict[str, Any] | None:
        """The newest release of ``month`` (a correction, if there is one), or None."""
        return _public(self.documents.find_one(
            {"month": month}, None if with_content else WITHOUT_CONTENT,
            sort=[("number", DESCENDING)]))

    def months(self) -> list[str]:
        """Every month with a release."""
        return sorted(self.documents.distinct("month"))

    def append(self, attempt: Attempt) -> dict[str, Any] | None:
        """Append what ``attempt`` builds on the newest release; answer the stored release.

        ``attempt`` runs again after a lost race, on the new newest release; when it
        answers None, so does this.
        """
        # the unique index must exist before the first insert decides a race
        self.ensure_indexes(self.documents.collection.database)
        for _ in range(APPEND_ATTEMPTS):
            previous = self.newest()
            number = previous["number"] + 1 if previous else 1
            fields = attempt(previous, number)
            if fields is None:
                return None
            release = {**fields, "tenant": self.tenant, "number": number,
                       "previous_hash": previous["release_hash"] if previous else None}
            release["release_hash"] = release_hash(release)
            try:
                self.documents.insert_one({"_id": str(uuid.uuid4()), **release})
            except DuplicateKeyError:
                continue
            return self.get(number)
        raise RuntimeError(f"{self.tenant}: no release appended after {APPEND_ATTEMPTS} "
                           "attempts (publishers keep racing)")
