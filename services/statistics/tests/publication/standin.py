# SPDX-License-Identifier: EUPL-1.2
"""The statistics service's publication on a stand-in for its counting side.

The counting side (``dependencies.StatisticsStore.month_cells`` and ``settings_of``,
``runtime.tenants``, ``process_catalogue``) is built beside the publication; these
stand-ins offer the same verbs (COMMON.md's interface) over the real database, so the
publication's entrypoints run in a real Nameko container on a real broker and database.
Tests put counts in with :func:`put_cells`.
"""
from __future__ import annotations

from importlib import resources
from typing import Any

import yaml
from nameko.extensions import DependencyProvider

from loket_common.health import HealthMixin
from loket_common.mongo import MongoDatabase, Store, TenantCollection
from loket_common.sealed_rpc import rpc
from loket_statistics.cells import MonthCells
from loket_statistics.publication.publication_rpc import PublicationRpc
from loket_statistics.publication.publication_timer import PublicationTimer
from loket_statistics.publication.service_source import ServiceSource

from .samples import PROCESSES

LEAD_TIMES = "test_lead_times"


def put_cells(database, cells: MonthCells) -> None:
    """Add ``cells``' counts to the ``cells`` collection, lead times beside them."""
    counts = TenantCollection(database["cells"], cells.tenant)
    for (measure, process, channel), n in cells.counts.items():
        counts.update_one({"month": cells.month, "process": process, "channel": channel,
                           "measure": measure}, {"$inc": {"n": n}}, upsert=True)
    lead = TenantCollection(database[LEAD_TIMES], cells.tenant)
    for (process, channel), days in cells.lead_days.items():
        lead.update_one({"month": cells.month, "process": process, "channel": channel},
                        {"$push": {"days": {"$each": days}}}, upsert=True)


class Tenants:
    """The built-in tenant files."""

    def __init__(self) -> None:
        folder = resources.files("loket_statistics").joinpath("tenants")
        self.files = {item["id"]: item for item in (
            yaml.safe_load(path.read_text(encoding="utf-8")) for path in folder.iterdir()
            if path.name.endswith(".yml"))}

    def get(self, tenant: str) -> dict[str, Any] | None:
        return self.files.get(tenant)

    def ids(self) -> list[str]:
        return sorted(self.files)


class StandInStore(Store):
    """``month_cells`` and ``settings_of`` over the test's database."""

    def month_cells(self, tenant: str, month: str) -> MonthCells:
        counts = {(each["measure"], each["process"], each["channel"]): each["n"] for each in
                  TenantCollection(self.database["cells"], tenant).find({"month": month})}
        lead = {(each["process"], each["channel"]): sorted(each["days"]) for each in
                TenantCollection(self.database[LEAD_TIMES], tenant).find({"month": month})}
        return MonthCells(tenant, month, counts, lead)

    def settings_of(self, tenant: str, tenants: Tenants) -> dict[str, Any]:
        stored = TenantCollection(self.database["test_settings"], tenant).find_one({})
        return {**tenants.files[tenant]["defaults"], "version": 1,
                **({key: stored[key] for key in ("threshold",)} if stored else {})}


class StandInDatabase(MongoDatabase):
    store_class = StandInStore


class StandInRuntime(DependencyProvider):
    def setup(self) -> None:
        self.runtime = type("Runtime", (), {"tenants": Tenants(), "options": None})()

    def get_dependency(self, worker_ctx: Any) -> Any:
        return self.runtime


class CataloguedSource(ServiceSource):
    """The service's source with the sample catalogue (no appointments or permits here)."""

    def processes(self):
        return PROCESSES


class PublicationStandIn(HealthMixin, PublicationRpc, PublicationTimer):
    """The publication's entrypoints with the stand-in counting side."""

    name = "statistics"
    store = StandInDatabase()
    runtime = StandInRuntime()

    def publication_source(self, tenant: str) -> ServiceSource:
        return CataloguedSource(self, tenant)

    @rpc
    def all_tenants_figures(self, month: str) -> list[dict[str, Any]]:
        """The counting side's answer, as far as the publish command reads it."""
        return [{"tenant": tenant} for tenant in self.runtime.tenants.ids()]
