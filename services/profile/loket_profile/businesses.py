# SPDX-License-Identifier: EUPL-1.2
"""Business profiles and their representatives.

Only a representative reads or changes a business; to anyone else it does not exist
(``business_not_found``, so ids cannot be probed). The company's details are one encrypted
sub-document (``details``); the representatives' pseudonymous subjects stay in clear to
look businesses up by.
"""
from __future__ import annotations

import uuid
from typing import Any

from pymongo import ASCENDING
from pymongo.client_session import ClientSession
from pymongo.database import Database

from loket_common.crypto import DataCipher
from loket_common.mongo import TenantCollection
from loket_contracts.profile.schemas import BusinessSchema

from . import clock
from .exceptions import BusinessNotFound


class Businesses:
    """The ``businesses`` collection behind domain verbs."""

    def __init__(self, database: Database, cipher: DataCipher) -> None:
        self.database = database
        self.cipher = cipher

    def ensure_indexes(self) -> None:
        """Businesses by id and by representative."""
        businesses = self.database["businesses"]
        businesses.create_index([("tenant", ASCENDING), ("id", ASCENDING)], unique=True)
        businesses.create_index([("tenant", ASCENDING), ("representatives", ASCENDING)])

    def _collection(self, tenant: str) -> TenantCollection:
        return TenantCollection(self.database["businesses"], tenant)

    def _public(self, tenant: str, document: dict[str, Any]) -> dict[str, Any]:
        details = self.cipher.decrypt(tenant, document["details"])
        return BusinessSchema().dump({**document, **details})

    def _represented(self, tenant: str, subject: str, business_id: str) -> dict[str, Any]:
        document = self._collection(tenant).find_one({"id": str(business_id),
                                                      "representatives": subject})
        if document is None:
            raise BusinessNotFound("No such business among those you represent.")
        return document

    def list(self, tenant: str, subject: str) -> list[dict[str, Any]]:
        """The businesses ``subject`` represents, oldest first."""
        found = self._collection(tenant).find({"representatives": subject},
                                              sort=[("created_at", ASCENDING)])
        return [self._public(tenant, document) for document in found]

    def save(self, tenant: str, subject: str, business_id: str | None,
             details: dict[str, Any]) -> dict[str, Any]:
        """Create a business (``business_id`` None; the creator represents it) or replace it."""
        now = clock.now()
        sealed = self.cipher.encrypt(tenant, details)
        collection = self._collection(tenant)
        if business_id is None:
            document = {"id": str(uuid.uuid4()), "representatives": [subject], "details": sealed,
                        "created_at": now, "updated_at": now, "version": 1}
            collection.insert_one(document)
            return self._public(tenant, document)
        self._represented(tenant, subject, business_id)
        updated = collection.find_one_and_update(
            {"id": business_id, "representatives": subject},
            {"$set": {"details": sealed, "updated_at": now}, "$inc": {"version": 1}},
            return_document=True)
        if updated is None:  # removed as representative meanwhile
            raise BusinessNotFound("No such business among those you represent.")
        return self._public(tenant, updated)

    def add_representative(self, tenant: str, subject: str, business_id: str,
                           representative: str) -> dict[str, Any]:
        """Let ``representative`` act for a business ``subject`` represents (idempotent)."""
        self._represented(tenant, subject, business_id)
        updated = self._collection(tenant).find_one_and_update(
            {"id": business_id, "representatives": subject},
            {"$addToSet": {"representatives": representative},
             "$set": {"updated_at": clock.now()}, "$inc": {"version": 1}},
            return_document=True)
        if updated is None:
            raise BusinessNotFound("No such business among those you represent.")
        return self._public(tenant, updated)

    def erase(self, tenant: str, subject: str, session: ClientSession) -> tuple[int, int]:
        """Delete businesses only ``subject`` represents, leave the others; (deleted, left)."""
        collection = self._collection(tenant)
        deleted = collection.delete_many({"representatives": [subject]},
                                         session=session).deleted_count
        left = collection.update_many(
            {"representatives": subject},
            {"$pull": {"representatives": subject}}, session=session).modified_count
        return deleted, left
