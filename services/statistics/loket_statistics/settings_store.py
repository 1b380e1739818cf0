# SPDX-License-Identifier: EUPL-1.2
"""Each tenant's statistics settings: threshold, channels, expected shares, version.

Until an admin changes them they are the tenant file's ``defaults`` (version 0). A change
names the version it read (``expected_version``); a stale one is :class:`VersionConflict`.
The stored document keeps the role of who changed it and when, never who.
"""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from loket_common.errors import ValidationFailed
from loket_common.mongo import TenantCollection
from loket_common.validation import load
from loket_contracts.statistics.schemas import SettingsSchema

from .exceptions import TenantNotConfigured, VersionConflict
from .tenant_config import TenantConfigs

SETTINGS = "settings"
FIELDS = ("threshold", "channels", "expected_shares")


def tenant_file(tenants: TenantConfigs, tenant: str) -> dict[str, Any]:
    """The tenant's statistics file; TenantNotConfigured when it has none."""
    found = tenants.get(tenant)
    if found is None:
        raise TenantNotConfigured("No statistics for this municipality.", tenant=tenant)
    return found


def checked_version(value: Any) -> int:
    """``expected_version`` as a whole number >= 0."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationFailed("expected_version is the version read.", invalid_params=[
            {"name": "expected_version", "reason": "A whole number >= 0."}])
    return value


class SettingsStore:
    """One tenant's stored settings."""

    def __init__(self, database: Database, tenant: str) -> None:
        self.tenant = tenant
        self.settings = TenantCollection(database[SETTINGS], tenant)

    def current(self, tenants: TenantConfigs) -> dict[str, Any]:
        """``SettingsSchema`` fields with ``version`` (the file's defaults: version 0)."""
        defaults = tenant_file(tenants, self.tenant)["defaults"]
        stored = self.settings.find_one({"_id": self.tenant})
        if stored is None:
            return {**{key: defaults[key] for key in FIELDS}, "version": 0}
        return {**{key: stored[key] for key in FIELDS}, "version": stored["version"]}

    def replace(self, tenants: TenantConfigs, settings: Any, expected_version: Any,
                role: str) -> dict[str, Any]:
        """Store ``settings`` if ``expected_version`` is still current; the new settings."""
        tenant_file(tenants, self.tenant)
        loaded = load(SettingsSchema(), settings)
        version = checked_version(expected_version)
        values = {**{key: loaded[key] for key in FIELDS}, "version": version + 1,
                  "changed_at": datetime.now(UTC), "changed_by_role": role}
        if version == 0:
            try:
                self.settings.insert_one({"_id": self.tenant, **values})
            except DuplicateKeyError:
                raise VersionConflict("The settings changed meanwhile.") from None
        elif self.settings.update_one({"_id": self.tenant, "version": version},
                                      {"$set": values}).matched_count == 0:
            raise VersionConflict("The settings changed meanwhile.")
        return {**{key: values[key] for key in FIELDS}, "version": version + 1}
