# SPDX-License-Identifier: EUPL-1.2
"""The statistics store: facts and cells, settings; what workers reach as ``self.store``.

It holds no personal data: events become reduced facts (:mod:`.intake`) and counts
(:mod:`.fact_store`); settings keep the changer's role only.
"""
from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from loket_common.events import Event
from loket_common.mongo import MongoDatabase, Store, TenantCollection
from loket_contracts.statistics.measures import month_of

from .cells import MonthCells
from .fact_store import Counted, FactStore, count_once, ensure_fact_indexes
from .group_commit import GroupCommit
from .intake import Fact, facts_of
from .publication.release_store import RELEASES
from .settings_store import SETTINGS, SettingsStore
from .tenant_config import TenantConfigs


class StatisticsStore(Store):
    """The statistics database, one tenant's part at a time."""

    def facts(self, tenant: str) -> FactStore:
        """The tenant's facts and live cells."""
        return FactStore(self.database, tenant)

    committer: GroupCommit | None = None

    def take_in(self, event: Event) -> bool:
        """Count ``event``'s facts once; False when it counts nothing or was counted before.

        In a running service with the events handed in at the same time (group commit).
        """
        item = Counted(event.tenant, event.id, facts_of(event))
        if not item.facts:
            return False
        if self.committer is not None:
            return self.committer.count(item)
        return count_once(self.database, [item])[0]

    def record_counter_transaction(self, tenant: str, process: str,
                                   channel: str) -> dict[str, Any]:
        """Count one counter transaction now; its id and time (nothing else is kept)."""
        recorded_at = datetime.now(UTC)
        transaction_id = str(uuid.uuid4())
        fact = Fact("counter_transactions", process, channel, month_of(recorded_at.isoformat()))
        self.facts(tenant).record(transaction_id, [fact])
        return {"id": transaction_id, "process": process, "channel": channel,
                "recorded_at": recorded_at}

    def month_cells(self, tenant: str, month: str) -> MonthCells:
        """The month's counts and lead days, unsuppressed."""
        return self.facts(tenant).month_cells(month)

    def months_cells(self, tenant: str, first_month: str,
                     last_month: str) -> dict[str, MonthCells]:
        """The cells of every month in the range that has any."""
        return self.facts(tenant).months_cells(first_month, last_month)

    def settings_of(self, tenant: str, tenants: TenantConfigs) -> dict[str, Any]:
        """``SettingsSchema`` fields with ``version``; TenantNotConfigured without a file."""
        return SettingsStore(self.database, tenant).current(tenants)

    def put_settings(self, tenant: str, tenants: TenantConfigs, settings: Any,
                     expected_version: Any, role: str) -> dict[str, Any]:
        """Replace the settings; VersionConflict when ``expected_version`` is stale."""
        return SettingsStore(self.database, tenant).replace(tenants, settings,
                                                            expected_version, role)

    def published_months(self, tenant: str, months: list[str]) -> set[str]:
        """Which of ``months`` have a release."""
        releases = TenantCollection(self.database[RELEASES], tenant)
        return set(releases.distinct("month", {"month": {"$in": months}}))

    def ensure_indexes(self) -> None:
        """Indexes start with the tenant."""
        ensure_fact_indexes(self.database)
        self.database[SETTINGS].create_index("tenant")


class StatisticsDatabase(MongoDatabase):
    """Workers get a :class:`StatisticsStore`."""

    store_class = StatisticsStore
    committer: GroupCommit | None = None

    def start(self) -> None:
        super().start()
        self.committer = GroupCommit(self.database)
        self.container.spawn_managed_thread(self.committer.run)

    def stop(self) -> None:
        if self.committer is not None:
            self.committer.close()
        super().stop()

    def get_dependency(self, worker_ctx: Any) -> StatisticsStore:
        store = super().get_dependency(worker_ctx)
        store.committer = self.committer
        return store
