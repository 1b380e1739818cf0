# SPDX-License-Identifier: EUPL-1.2
"""Entrypoints of the appointments service."""
from __future__ import annotations

from typing import Any

from nameko.rpc import rpc

from loket_common import health
from loket_common.errors import NotFound
from loket_common.events import event_from_message
from loket_common.handlers import reliable_event_handler
from loket_common.tenant import checked_tenant

from .dependencies import AppointmentsDatabase
from .schemas import OfficeWithServicesSchema


class AppointmentsService(health.HealthMixin):
    """Citizens' offices and what can be booked there."""

    name = "appointments"

    store = AppointmentsDatabase()

    @rpc
    def list_offices(self, tenant: str) -> list[dict[str, Any]]:
        """The tenant's offices with their services."""
        offices = self.store.offices_with_services(checked_tenant(tenant))
        return OfficeWithServicesSchema(many=True).dump(offices)

    @rpc
    def get_resident(self, tenant: str, subject: str) -> dict[str, Any]:
        """What appointments knows of a resident (their language), from profile events."""
        resident = self.store.resident(checked_tenant(tenant), str(subject))
        if resident is None:
            raise NotFound("Unknown resident.")
        return {"subject": resident["id"], "preferred_language": resident["preferred_language"]}

    @reliable_event_handler("profile", "profile_created")
    def record_resident(self, body: dict[str, Any]) -> None:
        """Keep the resident's preferred language, for reminders in their language."""
        self.store.record_resident(event_from_message(body))
