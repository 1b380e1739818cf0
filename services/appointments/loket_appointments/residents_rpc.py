# SPDX-License-Identifier: EUPL-1.2
"""What appointments knows of residents: their language (from profile) and own bookings.

Export and erasure are :class:`loket_common.resident_data_rpc.ResidentDataMixin`.
"""
from __future__ import annotations

from typing import Any

from loket_common.data_protection import checked_subject
from loket_common.errors import NotFound
from loket_common.events import event_from_message
from loket_common.handlers import reliable_event_handler
from loket_common.sealed_rpc import rpc
from loket_common.tenant import checked_tenant
from loket_contracts.appointments.schemas import BookingSchema

from .dependencies import AppointmentsStore

booking_out = BookingSchema()


class ResidentsRpc:
    """The resident projection from ``profile_created`` and the signed-in resident's list."""

    store: AppointmentsStore

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

    @rpc
    def list_own_bookings(self, tenant: str, subject: str) -> list[dict[str, Any]]:
        """The signed-in resident's bookings, upcoming and past, newest first."""
        tenant = checked_tenant(tenant)
        return booking_out.dump(self.store.resident_data(tenant).own_bookings(
            checked_subject(subject)), many=True)
