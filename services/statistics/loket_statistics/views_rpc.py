# SPDX-License-Identifier: EUPL-1.2
"""What staff read and set (``StatisticsRpc``): live figures, settings, counter transactions.

Figures are live and unsuppressed (for tenant admins and operators; the public sees
releases). A counter transaction is counted as a fact of its own, with a fresh id.
"""
from __future__ import annotations

from typing import Any

from loket_common.errors import ValidationFailed
from loket_common.sealed_rpc import rpc
from loket_common.tenant import checked_tenant
from loket_common.validation import load
from loket_contracts.statistics.measures import COUNTER
from loket_contracts.statistics.schemas import (
    CounterTransactionSchema,
    MonthFiguresSchema,
    ProcessSeriesSchema,
)

from .cells import MonthCells
from .dependencies import StatisticsStore
from .exceptions import ChannelNotOffered, UnknownProcess
from .figures import month_figures, series_of
from .months import checked_month, months_between
from .process_catalogue import is_known_process, processes_of
from .runtime import Runtime
from .settings_store import tenant_file


def actor_role(actor: Any) -> str:
    """The acting member of staff's role (nothing else of them is kept)."""
    if not isinstance(actor, dict) or not isinstance(actor.get("role"), str) \
            or not actor["role"]:
        raise ValidationFailed("Who is acting?", invalid_params=[
            {"name": "actor", "reason": "An object with at least a role."}])
    return str(actor["role"])


class ViewsRpc:
    """Adds the figures, the settings and the counter side."""

    store: StatisticsStore
    runtime: Runtime
    appointments: Any
    permits: Any

    def _figures(self, tenant: str, months: list[str]) -> list[dict[str, Any]]:
        """The live figures of ``months`` of a configured tenant."""
        settings = self.store.settings_of(tenant, self.runtime.tenants)
        processes = processes_of(self, tenant)
        cells = self.store.months_cells(tenant, months[0], months[-1])
        published = self.store.published_months(tenant, months)
        return [month_figures(cells.get(month) or MonthCells(tenant, month),
                              settings, processes, month in published) for month in months]

    @rpc
    def month_figures(self, tenant: str, month: str) -> dict[str, Any]:
        """``MonthFiguresSchema`` of ``month``, live and unsuppressed."""
        figures = self._figures(checked_tenant(tenant), [checked_month(month)])
        return MonthFiguresSchema().dump(figures[0])

    @rpc
    def all_tenants_figures(self, month: str) -> list[dict[str, Any]]:
        """``MonthFiguresSchema`` (many), one per configured tenant."""
        month = checked_month(month)
        return MonthFiguresSchema(many=True).dump(
            [self._figures(tenant, [month])[0] for tenant in self.runtime.tenants.ids()])

    @rpc
    def process_series(self, tenant: str, first_month: str,
                       last_month: str) -> list[dict[str, Any]]:
        """``ProcessSeriesSchema`` (many): every process month by month."""
        tenant = checked_tenant(tenant)
        figures = self._figures(tenant, months_between(first_month, last_month))
        return ProcessSeriesSchema(many=True).dump(series_of(figures, processes_of(self, tenant)))

    @rpc
    def get_settings(self, tenant: str) -> dict[str, Any]:
        """``SettingsSchema`` with its version."""
        return self.store.settings_of(checked_tenant(tenant), self.runtime.tenants)

    @rpc
    def put_settings(self, tenant: str, settings: dict[str, Any], expected_version: int,
                     actor: dict[str, Any]) -> dict[str, Any]:
        """Replace the settings; VersionConflict on a stale ``expected_version``."""
        return self.store.put_settings(checked_tenant(tenant), self.runtime.tenants, settings,
                                       expected_version, actor_role(actor))

    @rpc
    def record_counter_transaction(self, tenant: str, transaction: dict[str, Any],
                                   actor: dict[str, Any]) -> dict[str, Any]:
        """Count one finished counter transaction (``CounterTransactionSchema``)."""
        tenant = checked_tenant(tenant)
        actor_role(actor)
        tenant_file(self.runtime.tenants, tenant)
        loaded = load(CounterTransactionSchema(), transaction)
        channels = {COUNTER, *self.store.settings_of(tenant, self.runtime.tenants)["channels"]}
        if loaded["channel"] not in channels:
            raise ChannelNotOffered("The municipality does not count this channel.",
                                    invalid_params=[{"name": "channel", "reason":
                                                     f"One of {', '.join(sorted(channels))}."}])
        if not is_known_process(self, tenant, loaded["process"]):
            raise UnknownProcess("No such process in the catalogue.", invalid_params=[
                {"name": "process", "reason": "An appointment service or permit type."}])
        recorded = self.store.record_counter_transaction(tenant, loaded["process"],
                                                         loaded["channel"])
        return CounterTransactionSchema().dump(recorded)
