# SPDX-License-Identifier: EUPL-1.2
"""Counter entrypoints for office staff: day list, check-in, no-show, call next, walk-in.

The gateway checks the staff role; with an ``actor``, reads of signed-in residents' data
are reported (``personal_data_accessed``) through the outbox.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from loket_common.key_vault import owner_of
from loket_common.outbox import OutboxRelay
from loket_common.sealed_rpc import rpc
from loket_common.tenant import checked_tenant
from loket_common.validation import load
from loket_contracts.appointments.notices import OFFICE_CANCEL_ROLES, OfficeCancelSchema
from loket_contracts.appointments.schemas import (
    BookingSchema,
    DayListEntrySchema,
    HoldRequestSchema,
    StaffActorSchema,
)

from .dependencies import AppointmentsStore
from .exceptions import BookingNotFound, RoleNotAllowed

booking_out = BookingSchema()


def _actor(actor: Any) -> dict[str, Any] | None:
    """The staff actor (subject, role, name) the gateway passed, checked; None if none."""
    return None if actor is None else load(StaffActorSchema(), actor)


class CounterRpc:
    """What counter staff do during the day at an office."""

    store: AppointmentsStore
    relay: OutboxRelay

    @rpc
    def day_list(self, tenant: str, office_id: str, day: str, counter_id: str | None = None,
                 actor: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """The day's bookings at an office, with the names staff call residents by.

        With ``actor`` (staff), signed-in residents' entries are logged as accesses.
        """
        tenant = checked_tenant(tenant)
        staff = _actor(actor)
        self.store.office(tenant, office_id)
        entries = self.store.counter(tenant).day_list(office_id, date.fromisoformat(day),
                                                      counter_id, staff)
        if staff:
            self.relay.nudge()
        return DayListEntrySchema(many=True).dump(entries)

    @rpc
    def check_in(self, tenant: str, reference: str,
                 actor: dict[str, Any] | None = None) -> dict[str, Any]:
        """The resident arrived at the office."""
        moved = self.store.counter(checked_tenant(tenant)).check_in(reference, _actor(actor))
        self.relay.nudge()
        return booking_out.dump(moved)

    @rpc
    def mark_no_show(self, tenant: str, reference: str,
                     actor: dict[str, Any] | None = None) -> dict[str, Any]:
        """The resident did not come."""
        moved = self.store.counter(checked_tenant(tenant)).no_show(reference, _actor(actor))
        self.relay.nudge()
        return booking_out.dump(moved)

    @rpc
    def call_next(self, tenant: str, office_id: str, counter_id: str,
                  actor: dict[str, Any] | None = None) -> dict[str, Any] | None:
        """Call the next checked-in resident to a counter."""
        tenant = checked_tenant(tenant)
        called = self.store.counter(tenant).call_next(self.store.office(tenant, office_id),
                                                      str(counter_id), _actor(actor))
        self.relay.nudge()
        return None if called is None else DayListEntrySchema().dump(called)

    @rpc
    def book_walk_in(self, tenant: str, request: dict[str, Any], name: str) -> dict[str, Any]:
        """Staff book a slot for someone at the counter."""
        tenant = checked_tenant(tenant)
        wanted = load(HoldRequestSchema(), request)
        office = self.store.office(tenant, wanted["office_id"])
        service = self.store.service(tenant, wanted["service_id"])
        booking = self.store.counter(tenant).walk_in(office, service, wanted["start"],
                                                     str(name)[:200])
        self.relay.nudge()
        return booking_out.dump(booking)

    @rpc
    def cancel_booking_by_office(self, tenant: str, reference: str, actor: dict[str, Any],
                                 reason: str) -> dict[str, Any]:
        """The office cancels a booked appointment (counter staff, tenant admin); slot freed.

        The ``reason`` (told to the resident) is stored encrypted like the contact; the
        event ``appointment_cancelled`` says ``cancelled_by: office``.
        """
        tenant = checked_tenant(tenant)
        staff = load(StaffActorSchema(), actor)
        if staff["role"] not in OFFICE_CANCEL_ROLES:
            raise RoleNotAllowed("Only counter staff or a tenant admin may cancel a booking.",
                                 allowed=list(OFFICE_CANCEL_ROLES))
        why = load(OfficeCancelSchema(), {"reason": reason})["reason"]
        desk = self.store.desk(tenant)
        booking = desk.bookings.find_one({"reference": str(reference).upper()[:64]})
        if booking is None:
            raise BookingNotFound("No booking with this reference.")
        owner = owner_of(booking.get("subject"), "booking", booking["id"])
        cancelled = desk.cancel(booking, "office", {
            "cancellation_reason": desk.seal(why, owner),
            "cancelled_by_staff": {"subject": staff["subject"], "role": staff["role"]}})
        self.relay.nudge()
        return booking_out.dump(cancelled)
