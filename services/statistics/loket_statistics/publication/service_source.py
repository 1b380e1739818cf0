# SPDX-License-Identifier: EUPL-1.2
"""A tenant's figures as the running service has them: its store, settings and catalogue."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..cells import MonthCells, ProcessInfo
from ..process_catalogue import processes_of


@dataclass(frozen=True)
class ServiceSource:
    """:class:`~.publisher.MonthSource` of one tenant, read through a service worker.

    ``service`` is the worker (``store``, ``runtime`` and the RPC proxies the catalogue
    uses).
    """

    service: Any
    tenant: str

    def cells(self, month: str) -> MonthCells:
        return self.service.store.month_cells(self.tenant, month)

    def processes(self) -> Mapping[str, ProcessInfo]:
        return processes_of(self.service, self.tenant)

    def settings(self) -> Mapping[str, Any]:
        return self.service.store.settings_of(self.tenant, self.service.runtime.tenants)
