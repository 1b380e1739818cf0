# SPDX-License-Identifier: EUPL-1.2
"""The tenant's processes as their owners name them: appointment services and permit types.

Asked by RPC (``appointments.list_catalogue`` and ``permits.list_permit_types``) and kept
for ``STATISTICS_CATALOGUE_CACHE_SECONDS`` in the container's runtime, so a page of figures
costs no round trip. Deactivated services are listed too (their past months still count);
a process no longer in the catalogue is named by its key (:func:`figures.info_of`).
"""
from __future__ import annotations

import time
from typing import Any

from loket_contracts.statistics.measures import appointment_process, permit_process

from .cells import ProcessInfo
from .runtime import Runtime


def info_from(entry: dict[str, Any]) -> ProcessInfo:
    """A catalogue entry's names and LeiKa key."""
    name = entry.get("name") or {}
    key = entry.get("service_key")
    return ProcessInfo({"de": str(name.get("de") or entry["id"]),
                        "en": str(name.get("en") or name.get("de") or entry["id"])},
                       key if isinstance(key, str) and key else None)


def asked_processes(service: Any, tenant: str) -> dict[str, ProcessInfo]:
    """Every appointment service and permit type of ``tenant``, asked now."""
    found: dict[str, ProcessInfo] = {}
    for entry in service.appointments.list_catalogue(tenant).get("services", []):
        found[appointment_process(entry["id"])] = info_from(entry)
    for entry in service.permits.list_permit_types(tenant):
        found[permit_process(entry["id"])] = info_from(entry)
    return found


def processes_of(service: Any, tenant: str) -> dict[str, ProcessInfo]:
    """Process key -> :class:`ProcessInfo` of ``tenant``, from the cache while it is fresh."""
    runtime: Runtime = service.runtime
    kept = runtime.catalogues.get(tenant)
    if kept and time.monotonic() - kept[0] < runtime.options.catalogue_cache_seconds:
        return kept[1]
    found = asked_processes(service, tenant)
    runtime.catalogues[tenant] = (time.monotonic(), found)
    return found


def is_known_process(service: Any, tenant: str, process: str) -> bool:
    """True when ``process`` is in the catalogue (asked afresh when the kept one lacks it)."""
    if process in processes_of(service, tenant):
        return True
    found = asked_processes(service, tenant)
    service.runtime.catalogues[tenant] = (time.monotonic(), found)
    return process in found
