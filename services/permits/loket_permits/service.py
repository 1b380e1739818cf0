# SPDX-License-Identifier: EUPL-1.2
"""Entrypoints of the permits service."""
from __future__ import annotations

from typing import Any

from nameko.rpc import rpc

from loket_common import health
from loket_common.tenant import checked_tenant

from .dependencies import PermitsDatabase
from .schemas import PermitTypeSchema


class PermitsService(health.HealthMixin):
    """Permit types and, later, applications."""

    name = "permits"

    store = PermitsDatabase()

    @rpc
    def list_permit_types(self, tenant: str) -> list[dict[str, Any]]:
        """The permit types the tenant offers, with their form fields."""
        return PermitTypeSchema(many=True).dump(self.store.permit_types(checked_tenant(tenant)))
