# SPDX-License-Identifier: EUPL-1.2
"""Catalogue entrypoints: the offices and services residents see, and their maintenance.

Maintenance RPCs are for tenant administrators (the gateway checks the ``tenant_admin``
role); each answers the changed entry as admins see it, with its version (the ETag).
"""
from __future__ import annotations

from typing import Any

from loket_common.outbox import OutboxRelay
from loket_common.sealed_rpc import rpc
from loket_common.tenant import checked_tenant
from loket_contracts.appointments.catalogue import (
    AdminOfficeSchema,
    AdminServiceSchema,
    CatalogueChangeSchema,
    OfficeWithServicesSchema,
)

from .catalogue_admin import checked_kind, checked_version, recent_changes
from .dependencies import AppointmentsStore


class CatalogueRpc:
    """``list_offices`` for everyone; listing and changing the catalogue for admins."""

    store: AppointmentsStore
    relay: OutboxRelay

    @rpc
    def list_offices(self, tenant: str) -> list[dict[str, Any]]:
        """The tenant's offices with their services."""
        offices = self.store.offices_with_services(checked_tenant(tenant))
        return OfficeWithServicesSchema(many=True).dump(offices)

    # -- catalogue maintenance (the gateway checks the tenant_admin role) ----------------

    @rpc
    def list_catalogue(self, tenant: str) -> dict[str, list[dict[str, Any]]]:
        """Every office and service of the tenant, deactivated ones too, with versions."""
        tenant = checked_tenant(tenant)
        return {"offices": AdminOfficeSchema(many=True).dump(self.store.all_entries(
                    tenant, "offices")),
                "services": AdminServiceSchema(many=True).dump(self.store.all_entries(
                    tenant, "services"))}

    @rpc
    def get_office(self, tenant: str, office_id: str) -> dict[str, Any]:
        """One office, active or not, with its version (the ETag)."""
        return AdminOfficeSchema().dump(self.store.office(checked_tenant(tenant), office_id))

    @rpc
    def get_service(self, tenant: str, service_id: str) -> dict[str, Any]:
        """One offered service, active or not, with its version (the ETag)."""
        return AdminServiceSchema().dump(self.store.service(checked_tenant(tenant), service_id))

    @rpc
    def put_office(self, tenant: str, office_id: str, office: dict[str, Any],
                   expected_version: int | None, actor: dict[str, Any]) -> dict[str, Any]:
        """Create (no expected version) or replace an office."""
        return self._published("office", self.store.catalogue(checked_tenant(tenant), actor)
                               .put_office(str(office_id), office,
                                           checked_version(expected_version, required=False)))

    @rpc
    def put_service(self, tenant: str, service_id: str, service: dict[str, Any],
                    expected_version: int | None, actor: dict[str, Any]) -> dict[str, Any]:
        """Create (no expected version) or replace an offered service."""
        return self._published("service", self.store.catalogue(checked_tenant(tenant), actor)
                               .put_service(str(service_id), service,
                                            checked_version(expected_version, required=False)))

    @rpc
    def list_closures(self, tenant: str, office_id: str) -> dict[str, Any]:
        """The days an office is closed, and the office's version."""
        office = AdminOfficeSchema().dump(self.store.office(checked_tenant(tenant), office_id))
        return {"version": office["version"], "closures": office["closures"]}

    @rpc
    def add_closure(self, tenant: str, office_id: str, closure: dict[str, Any],
                    expected_version: int, actor: dict[str, Any]) -> dict[str, Any]:
        """Close an office on a day (refused while confirmed bookings fall on it)."""
        return self._published("office", self.store.catalogue(checked_tenant(tenant), actor)
                               .add_closure(str(office_id), closure,
                                            checked_version(expected_version)))

    @rpc
    def remove_closure(self, tenant: str, office_id: str, day: str, expected_version: int,
                       actor: dict[str, Any]) -> dict[str, Any]:
        """Open an office again on a closed day."""
        return self._published("office", self.store.catalogue(checked_tenant(tenant), actor)
                               .remove_closure(str(office_id), str(day),
                                               checked_version(expected_version)))

    @rpc
    def deactivate(self, tenant: str, kind: str, entity_id: str, expected_version: int,
                   actor: dict[str, Any]) -> dict[str, Any]:
        """Stop offering an office or a service (``kind``); it is kept, never deleted."""
        kind = checked_kind(kind)
        return self._published(kind, self.store.catalogue(checked_tenant(tenant), actor)
                               .deactivate(kind, str(entity_id),
                                           checked_version(expected_version)))

    @rpc
    def list_catalogue_changes(self, tenant: str, limit: int = 100) -> list[dict[str, Any]]:
        """Who changed what in the catalogue, newest first."""
        return CatalogueChangeSchema(many=True).dump(
            recent_changes(self.store.database, checked_tenant(tenant), limit))

    def _published(self, kind: str, changed: dict[str, Any]) -> dict[str, Any]:
        """Wake the relay for the change's event; answer the entry as admins see it."""
        self.relay.nudge()
        return (AdminOfficeSchema() if kind == "office" else AdminServiceSchema()).dump(changed)
