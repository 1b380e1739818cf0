# SPDX-License-Identifier: EUPL-1.2
"""Tenant identifiers: every request, document and index carries one."""
from __future__ import annotations

import re

from .errors import UnknownTenant

TENANT_PATTERN = re.compile(r"^[a-z][a-z0-9-]{1,39}$")


def checked_tenant(tenant: object) -> str:
    """Return ``tenant`` if it is a well-formed tenant id, else raise :class:`UnknownTenant`."""
    if not isinstance(tenant, str) or not TENANT_PATTERN.match(tenant):
        raise UnknownTenant("Tenant identifiers are lower-case slugs.", tenant=str(tenant)[:40])
    return tenant
