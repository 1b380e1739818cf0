# SPDX-License-Identifier: EUPL-1.2
"""The permits store: permit types behind domain verbs."""
from __future__ import annotations

from typing import Any

from pymongo import ASCENDING

from loket_common.mongo import MongoDatabase, Store, TenantCollection


class PermitsStore(Store):
    """Permit types of every tenant."""

    def ensure_indexes(self) -> None:
        """Every index starts with the tenant."""
        self.database["permit_types"].create_index([("tenant", ASCENDING), ("id", ASCENDING)],
                                                   unique=True)

    def _types(self, tenant: str) -> TenantCollection:
        return TenantCollection(self.database["permit_types"], tenant)

    def permit_types(self, tenant: str) -> list[dict[str, Any]]:
        """The permit types ``tenant`` offers, by id."""
        return list(self._types(tenant).find({}, {"_id": 0, "tenant": 0}, sort=[("id", 1)]))

    def put_permit_type(self, tenant: str, permit_type: dict[str, Any]) -> None:
        """Create or replace a permit type."""
        self._types(tenant).replace_one({"id": permit_type["id"]}, permit_type, upsert=True)


class PermitsDatabase(MongoDatabase):
    """Workers get a :class:`PermitsStore`."""

    store_class = PermitsStore
