# SPDX-License-Identifier: EUPL-1.2
"""Staff roles per tenant from the token's ``loket_roles`` claim (``"<tenant>:<role>"``).

``tenant_admin`` includes the counter staff's and case workers' roles. ``*:operator`` is
the data centre's operator: platform-wide, but no role in any tenant, so no personal data.
"""
from __future__ import annotations

from typing import Any

COUNTER_STAFF, CASE_WORKER, TENANT_ADMIN, OPERATOR = (
    "counter_staff", "case_worker", "tenant_admin", "operator")
ROLES = {COUNTER_STAFF: {COUNTER_STAFF}, CASE_WORKER: {CASE_WORKER},
         TENANT_ADMIN: {COUNTER_STAFF, CASE_WORKER, TENANT_ADMIN}}


def _entries(claim: Any) -> list[tuple[str, str]]:
    if not isinstance(claim, list):
        return []
    return [tuple(entry.split(":", 1)) for entry in claim  # type: ignore[misc]
            if isinstance(entry, str) and entry.count(":") == 1]


def roles_in(claim: Any, tenant: str) -> set[str]:
    """The roles ``claim`` grants in ``tenant`` (tenant_admin expanded)."""
    granted: set[str] = set()
    for entry_tenant, role in _entries(claim):
        if entry_tenant == tenant and role in ROLES:
            granted |= ROLES[role]
    return granted


def is_operator(claim: Any) -> bool:
    """Whether ``claim`` names the platform operator (``*:operator``)."""
    return ("*", OPERATOR) in _entries(claim)
