# SPDX-License-Identifier: EUPL-1.2
"""Business profiles and their representatives.

Only a representative reads or changes a business; to anyone else it does not exist
(``business_not_found``, so ids cannot be probed). The company's details are one encrypted
sub-document (``details``) under the business's own key (it may name a representative and
outlives any one of them; destroyed with the business); the representatives' pseudonymous
subjects stay in clear to look businesses up by.
"""
from __future__ import annotations

import uuid
from typing import Any

from pymongo import ASCENDING
from pymongo.client_session import ClientSession
from pymongo.database import Database

from loket_common.key_vault import SubjectCipher, owner_of
from loket_common.mongo import TenantCollection
from loket_contracts.profile.schemas import BusinessSchema

from . import clock
from .exceptions import BusinessNotFound


class Businesses:
    """The ``businesses`` collection behind domain verbs."""

    def __init__(self, database: Database, cipher: SubjectCipher) -> None:
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
        collection = self._collection(tenant)
        if business_id is None:
            new_id = str(uuid.uuid4())
            document = {"id": new_id, "representatives": [subject],
                        "details": self._seal(tenant, new_id, details),
                        "created_at": now, "updated_at": now, "version": 1}
            collection.insert_one(document)
            return self._public(tenant, document)
        self._represented(tenant, subject, business_id)
        updated = collection.find_one_and_update(
            {"id": business_id, "representatives": subject},
            {"$set": {"details": self._seal(tenant, business_id, details), "updated_at": now},
             "$inc": {"version": 1}},
            return_document=True)
        if updated is None:  # removed as representative meanwhile
            raise BusinessNotFound("No such business among those you represent.")
        return self._public(tenant, updated)

    def _seal(self, tenant: str, business_id: str, details: dict[str, Any]) -> str:
        return self.cipher.encrypt(tenant, owner_of(None, "business", business_id), details)

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
        """Delete businesses only ``subject`` represents, leave the others; (deleted, left).

        A deleted business's key is destroyed with it, so its copies no longer open.
        """
        collection = self._collection(tenant)
        alone = {"representatives": [subject]}
        gone = [document["id"] for document in collection.find(alone, {"id": 1},
                                                               session=session)]
        deleted = collection.delete_many(alone, session=session).deleted_count
        self.cipher.destroy(tenant, [owner_of(None, "business", business_id)
                                     for business_id in gone], session)
        left = collection.update_many(
            {"representatives": subject},
            {"$pull": {"representatives": subject}}, session=session).modified_count
        return deleted, left
