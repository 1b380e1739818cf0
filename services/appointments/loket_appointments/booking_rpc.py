# SPDX-License-Identifier: EUPL-1.2
"""Booking entrypoints for residents: slot search, holds, confirmation, the manage link."""
from __future__ import annotations

from typing import Any

from loket_common.errors import NotFound
from loket_common.outbox import OutboxRelay
from loket_common.sealed_rpc import rpc
from loket_common.tenant import checked_tenant
from loket_common.validation import load
from loket_contracts.appointments.schemas import (
    BookingContactSchema,
    BookingSchema,
    HolderSchema,
    HoldRequestSchema,
    SearchSchema,
    SlotSchema,
)

from .availability import search_days
from .booking_desk import utcnow
from .dependencies import AppointmentsStore
from .identity_binding import check_same_person, holder_binding
from .slot_search import earliest_slots

booking_out = BookingSchema()


class BookingRpc:
    """Search, hold, confirm; then read, cancel or move the booking through its manage link."""

    store: AppointmentsStore
    relay: OutboxRelay

    @rpc
    def search_slots(self, tenant: str, query: dict[str, Any]) -> list[dict[str, Any]]:
        """Free slots of a service at one office or any, in a date range, earliest first."""
        tenant = checked_tenant(tenant)
        search = load(SearchSchema(), query)
        service = self.store.service(tenant, search["service_id"])
        offices = ([self.store.office(tenant, search["office_id"])] if search["office_id"]
                   else self.store.offices(tenant))
        ledger = self.store.desk(tenant).ledger
        undrawn = self.store.lottery(tenant).undrawn_days(service)
        now = utcnow()
        days_by_office = [(office, search_days(office, service, now, search["date_from"],
                                               search["date_to"], undrawn))
                          for office in offices if service["id"] in office["service_ids"]]
        slots = earliest_slots(service, days_by_office, ledger.occupied_at, now,
                               search["limit"])
        return SlotSchema(many=True).dump(slots)

    @rpc
    def hold_slot(self, tenant: str, request: dict[str, Any], client_key: str,
                  challenge_id: str | None,
                  holder: dict[str, Any] | None = None) -> dict[str, Any]:
        """Hold a slot for a few minutes (the gateway checked the proof of work).

        ``holder``: the signed-in resident, which a service with ``identity_required`` needs.
        """
        tenant = checked_tenant(tenant)
        wanted = load(HoldRequestSchema(), request)
        office = self.store.office(tenant, wanted["office_id"])
        service = self.store.service(tenant, wanted["service_id"])
        if service["id"] not in office["service_ids"]:
            raise NotFound("This office does not offer this service.")
        binding = holder_binding(service, _holder(holder))
        held = self.store.desk(tenant).hold(office, service, wanted["start"], str(client_key),
                                            challenge_id,
                                            self.store.lottery(tenant).undrawn_days(service),
                                            binding=binding)
        return {"hold_id": held["id"], **booking_out.dump(held)}

    @rpc
    def release_hold(self, tenant: str, hold_id: str) -> None:
        """Let a hold go."""
        self.store.desk(checked_tenant(tenant)).release_hold(str(hold_id))

    @rpc
    def hold_details(self, tenant: str, hold_id: str) -> dict[str, Any]:
        """An unexpired hold with its service and office, for the contact form."""
        tenant = checked_tenant(tenant)
        held = self.store.desk(tenant).active_hold(str(hold_id))
        return {"hold_id": held["id"], **self._with_office_and_service(tenant, held)}

    @rpc
    def confirm_hold(self, tenant: str, hold_id: str, contact: dict[str, Any]) -> dict[str, Any]:
        """Book the held slot with the contact data; answer with the reference and secret."""
        tenant = checked_tenant(tenant)
        data = load(BookingContactSchema(), contact)
        subject = data.pop("subject", None)
        signed_in = {"trust_level": data.pop("trust_level"), "name": data.pop("identity_name")}
        booking, token = self.store.desk(tenant).confirm(
            str(hold_id), data, lambda service_id: self.store.service(tenant, service_id)[
                "booking_policy"]["max_active_bookings_per_person"], subject, signed_in)
        self.relay.nudge()
        return {"booking": booking_out.dump(booking), "manage_token": token}

    # -- the manage link (reference and secret token) -----------------------------------

    @rpc
    def get_booking(self, tenant: str, reference: str, token: str) -> dict[str, Any]:
        """The booking its manage link opens."""
        return booking_out.dump(self.store.desk(checked_tenant(tenant))
                                .by_manage_token(reference, token))

    @rpc
    def cancel_booking(self, tenant: str, reference: str, token: str,
                       holder: dict[str, Any] | None = None) -> dict[str, Any]:
        """Cancel through the manage link; the slot is free again at once.

        A booking bound to its person also needs that person signed in (``holder``).
        """
        desk = self.store.desk(checked_tenant(tenant))
        booking = desk.by_manage_token(reference, token)
        check_same_person(booking, _holder(holder))
        cancelled = desk.cancel(booking)
        self.relay.nudge()
        return booking_out.dump(cancelled)

    @rpc
    def reschedule_booking(self, tenant: str, reference: str, token: str,
                           request: dict[str, Any],
                           holder: dict[str, Any] | None = None) -> dict[str, Any]:
        """Move a booking to another slot of the same service through the manage link.

        A bound booking needs its person (``holder``) and stays theirs.
        """
        tenant = checked_tenant(tenant)
        desk = self.store.desk(tenant)
        booking = desk.by_manage_token(reference, token)
        check_same_person(booking, _holder(holder))
        wanted = load(HoldRequestSchema(), {**request, "service_id": booking["service_id"]})
        office = self.store.office(tenant, wanted["office_id"])
        service = self.store.service(tenant, booking["service_id"])
        if service["id"] not in office["service_ids"]:
            raise NotFound("This office does not offer this service.")
        moved = desk.reschedule(booking, office, service, wanted["start"],
                                self.store.lottery(tenant).undrawn_days(service))
        self.relay.nudge()
        return booking_out.dump(moved)

    @rpc
    def booking_details(self, tenant: str, reference: str, token: str) -> dict[str, Any]:
        """The booking with its service and office, for the manage page and the .ics file."""
        tenant = checked_tenant(tenant)
        booking = self.store.desk(tenant).by_manage_token(reference, token)
        return self._with_office_and_service(tenant, booking)

    def _with_office_and_service(self, tenant: str, booking: dict[str, Any]) -> dict[str, Any]:
        office = self.store.office(tenant, booking["office_id"])
        service = self.store.service(tenant, booking["service_id"])
        return {**booking_out.dump(booking), "tenant": tenant,
                "office": {key: office[key] for key in ("id", "name", "address",
                                                        "accessibility", "timezone")},
                "service": {key: service[key] for key in (
                    "id", "name", "duration_minutes", "fee_cents", "required_documents")}}


def _holder(holder: dict[str, Any] | None) -> dict[str, Any] | None:
    """The signed-in resident the gateway names (checked), or None for anonymous."""
    return None if holder is None else load(HolderSchema(), holder)
