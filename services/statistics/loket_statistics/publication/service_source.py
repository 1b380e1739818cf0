# SPDX-License-Identifier: EUPL-1.2
"""A tenant's figures as the running service has them: its store, settings and catalogue."""
from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..cells import MonthCells, ProcessInfo

# The counting side's catalogue of process names (asked by RPC of appointments and permits).
CATALOGUE_MODULE = "loket_statistics.process_catalogue"


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
        # imported when used: the catalogue is the counting side's module, and the
        # publication package must import without it (its pure modules, the CLIs)
        catalogue = importlib.import_module(CATALOGUE_MODULE)
        return catalogue.processes_of(self.service, self.tenant)

    def settings(self) -> Mapping[str, Any]:
        return self.service.store.settings_of(self.tenant, self.service.runtime.tenants)
