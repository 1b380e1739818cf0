# SPDX-License-Identifier: EUPL-1.2
"""The profile store: profiles of one database, behind domain verbs."""
from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING

from loket_common.events import Event
from loket_common.mongo import MongoDatabase, Store, TenantCollection, transaction
from loket_common.outbox import add_to_outbox
from loket_common.tokens import token_hash

SERVICE = "profile"


class ProfileStore(Store):
    """Profiles and their events."""

    def ensure_indexes(self) -> None:
        """Indexes start with the tenant."""
        profiles = self.database["profiles"]
        profiles.create_index([("tenant", ASCENDING), ("subject", ASCENDING)], unique=True)
        profiles.create_index([("tenant", ASCENDING), ("token_hash", ASCENDING)], unique=True)

    def profiles(self, tenant: str) -> TenantCollection:
        """Profiles of ``tenant``."""
        return TenantCollection(self.database["profiles"], tenant)

    def create(self, tenant: str, data: dict[str, Any]) -> tuple[dict[str, Any], str]:
        """Store a new profile and its ``profile_created`` event; return it and its token."""
        token = secrets.token_urlsafe(32)
        profile = {
            **data,
            "subject": str(uuid.uuid4()),
            "token_hash": token_hash(token),
            "created_at": datetime.now(UTC),
        }
        event = Event(
            source=SERVICE,
            type="profile_created",
            tenant=tenant,
            data={"subject": profile["subject"],
                  "preferred_language": profile["preferred_language"]},
        )
        with transaction(self.database) as session:
            self.profiles(tenant).insert_one(profile, session=session)
            add_to_outbox(self.database, event, session)
        return profile, token

    def by_token(self, tenant: str, token: str) -> dict[str, Any] | None:
        """The profile that ``token`` opens, or None."""
        return self.profiles(tenant).find_one({"token_hash": token_hash(token)})


class ProfileDatabase(MongoDatabase):
    """Workers get a :class:`ProfileStore`."""

    store_class = ProfileStore
