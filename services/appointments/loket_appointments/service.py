# SPDX-License-Identifier: EUPL-1.2
"""Entrypoints of the appointments service."""
from __future__ import annotations

from datetime import date
from typing import Any

from nameko.rpc import rpc
from nameko.timer import timer

from loket_common import health
from loket_common.data_protection import checked_subject
from loket_common.errors import NotFound
from loket_common.events import event_from_message
from loket_common.handlers import reliable_event_handler
from loket_common.outbox import OutboxRelay
from loket_common.tenant import checked_tenant
from loket_common.validation import load
from loket_contracts.appointments.catalogue import (
    AdminOfficeSchema,
    AdminServiceSchema,
    CatalogueChangeSchema,
    OfficeWithServicesSchema,
)
from loket_contracts.appointments.lottery import EntryRequestSchema, EntrySchema, ReleaseSchema
from loket_contracts.appointments.schemas import (
    BookingSchema,
    ContactSchema,
    DayListEntrySchema,
    HoldRequestSchema,
    SearchSchema,
    SlotSchema,
    StaffActorSchema,
)

from .availability import ReleasePolicy, search_days
from .booking_desk import utcnow
from .catalogue_admin import checked_kind, checked_version, recent_changes
from .dependencies import AppointmentsDatabase
from .release_lottery import release_of
from .slot_search import earliest_slots
from .timers import TIMER_SECONDS

booking_out = BookingSchema()


def _actor(actor: Any) -> dict[str, Any] | None:
    """The staff actor (subject, role, name) the gateway passed, checked; None if none."""
    return None if actor is None else load(StaffActorSchema(), actor)


class AppointmentsService(health.HealthMixin):
    """Citizens' offices, availability, and bookings that are never sold twice."""

    name = "appointments"

    store = AppointmentsDatabase()
    relay = OutboxRelay()

    @rpc
    def list_offices(self, tenant: str) -> list[dict[str, Any]]:
        """The tenant's offices with their services."""
        offices = self.store.offices_with_services(checked_tenant(tenant))
        return OfficeWithServicesSchema(many=True).dump(offices)

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
                  challenge_id: str | None) -> dict[str, Any]:
        """Hold a slot for a few minutes (the gateway checked the proof of work)."""
        tenant = checked_tenant(tenant)
        wanted = load(HoldRequestSchema(), request)
        office = self.store.office(tenant, wanted["office_id"])
        service = self.store.service(tenant, wanted["service_id"])
        if service["id"] not in office["service_ids"]:
            raise NotFound("This office does not offer this service.")
        held = self.store.desk(tenant).hold(office, service, wanted["start"], str(client_key),
                                            challenge_id,
                                            self.store.lottery(tenant).undrawn_days(service))
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
        data = load(ContactSchema(), contact)
        subject = data.pop("subject", None)
        booking, token = self.store.desk(tenant).confirm(
            str(hold_id), data, lambda service_id: self.store.service(tenant, service_id)[
                "booking_policy"]["max_active_bookings_per_person"], subject)
        self.relay.nudge()
        return {"booking": booking_out.dump(booking), "manage_token": token}

    @rpc
    def get_booking(self, tenant: str, reference: str, token: str) -> dict[str, Any]:
        """The booking its manage link opens."""
        return booking_out.dump(self.store.desk(checked_tenant(tenant))
                                .by_manage_token(reference, token))

    @rpc
    def cancel_booking(self, tenant: str, reference: str, token: str) -> dict[str, Any]:
        """Cancel through the manage link; the slot is free again at once."""
        desk = self.store.desk(checked_tenant(tenant))
        cancelled = desk.cancel(desk.by_manage_token(reference, token))
        self.relay.nudge()
        return booking_out.dump(cancelled)

    @rpc
    def reschedule_booking(self, tenant: str, reference: str, token: str,
                           request: dict[str, Any]) -> dict[str, Any]:
        """Move a booking to another slot of the same service through the manage link."""
        tenant = checked_tenant(tenant)
        desk = self.store.desk(tenant)
        booking = desk.by_manage_token(reference, token)
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

    # -- counter staff (the gateway checks the role) ------------------------------------

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

    # -- timers and events --------------------------------------------------------------

    @timer(interval=TIMER_SECONDS)
    def tick(self) -> None:
        """Expire holds, emit due reminders and draw closed lottery windows, for every tenant."""
        emitted = 0
        for tenant in self.store.tenants():
            desk = self.store.desk(tenant)
            desk.expire_holds()
            emitted += desk.emit_due_reminders()
            emitted += self.store.lottery(tenant).run_due_draws()
        if emitted:
            self.relay.nudge()

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

    # -- the resident's own data (GDPR) ---------------------------------------------------

    @rpc
    def list_own_bookings(self, tenant: str, subject: str) -> list[dict[str, Any]]:
        """The signed-in resident's bookings, upcoming and past, newest first."""
        tenant = checked_tenant(tenant)
        return booking_out.dump(self.store.resident_data(tenant).own_bookings(
            checked_subject(subject)), many=True)

    @rpc
    def export_subject(self, tenant: str, subject: str) -> dict[str, Any]:
        """Everything appointments holds about the resident, as plain JSON."""
        tenant = checked_tenant(tenant)
        return self.store.resident_data(tenant).export(checked_subject(subject))

    @reliable_event_handler("profile", "erasure_requested")
    def erase_subject(self, body: dict[str, Any]) -> None:
        """Erase or anonymise the resident's data; ``erasure_completed`` in the same step."""
        event = event_from_message(body)
        checked_subject(event.data.get("subject"))
        if self.store.erase_subject(event):
            self.relay.nudge()

    # -- the fair release (lottery) ------------------------------------------------------

    @rpc
    def release_info(self, tenant: str, service_id: str) -> dict[str, Any]:
        """The service's latest release: mode, state, day, when it opened and is drawn."""
        tenant = checked_tenant(tenant)
        service = self.store.service(tenant, str(service_id))
        release = release_of(service, self._offering_office(tenant, service, None), utcnow())
        state = self.store.lottery(tenant).state_of(service, release)
        return ReleaseSchema().dump({"service_id": service["id"], "state": state,
                                     "mode": ReleasePolicy.of(service).mode,
                                     "day": release.day, "opened_at": release.opened_at,
                                     "draw_at": release.draw_at})

    @rpc
    def enter_lottery(self, tenant: str, request: dict[str, Any]) -> dict[str, Any]:
        """Enter the open release of a lottery service; answer with the status token."""
        tenant = checked_tenant(tenant)
        wanted = load(EntryRequestSchema(), request)
        service = self.store.service(tenant, wanted.pop("service_id"))
        office_id = wanted.pop("office_id")
        office = self._offering_office(tenant, service, office_id)
        entry, token = self.store.lottery(tenant).enter(service, office, office_id, wanted)
        self.relay.nudge()
        return {"entry": EntrySchema().dump(entry), "status_token": token}

    @rpc
    def lottery_entry(self, tenant: str, reference: str, token: str) -> dict[str, Any]:
        """The entry its status token opens: pending, allocated (with booking) or not."""
        return EntrySchema().dump(self.store.lottery(checked_tenant(tenant))
                                  .by_status_token(reference, token))

    def _offering_office(self, tenant: str, service: dict[str, Any],
                         office_id: str | None) -> dict[str, Any]:
        """The office ``office_id`` (or the first one) that offers ``service``."""
        offices = ([self.store.office(tenant, office_id)] if office_id
                   else self.store.offices(tenant))
        office = next((office for office in offices
                       if service["id"] in office["service_ids"]), None)
        if office is None:
            raise NotFound("No office offers this service.")
        return office


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

    def _published(self, kind: str, changed: dict[str, Any]) -> dict[str, Any]:
        """Wake the relay for the change's event; answer the entry as admins see it."""
        self.relay.nudge()
        return (AdminOfficeSchema() if kind == "office" else AdminServiceSchema()).dump(changed)

    @rpc
    def list_catalogue_changes(self, tenant: str, limit: int = 100) -> list[dict[str, Any]]:
        """Who changed what in the catalogue, newest first."""
        return CatalogueChangeSchema(many=True).dump(
            recent_changes(self.store.database, checked_tenant(tenant), limit))
