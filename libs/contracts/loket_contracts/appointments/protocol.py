# SPDX-License-Identifier: EUPL-1.2
"""Every RPC method of the appointments service, as the gateway may call it.

Each docstring names the contract schema of the answer. ``libs/contracts/tests`` checks
that this Protocol and the service's ``@rpc`` entrypoints have the same methods and
signatures, so a renamed or re-typed RPC fails a test.
"""
from __future__ import annotations

from typing import Any, Protocol


class AppointmentsRpc(Protocol):
    """``appointments``: offices, slots, holds, bookings, counter, lottery, catalogue."""

    def health(self) -> dict[str, Any]:
        """``{"service", "database"}``."""

    # -- residents: offices, slots, holds, bookings ----------------------------------------
    def list_offices(self, tenant: str) -> list[dict[str, Any]]:
        """``OfficeWithServicesSchema`` (many)."""

    def search_slots(self, tenant: str, query: dict[str, Any]) -> list[dict[str, Any]]:
        """``query``: ``SearchSchema``; answer ``SlotSchema`` (many)."""

    def hold_slot(self, tenant: str, request: dict[str, Any], client_key: str,
                  challenge_id: str | None,
                  holder: dict[str, Any] | None = None) -> dict[str, Any]:
        """``request``: ``HoldRequestSchema``, ``holder``: ``HolderSchema``; ``HoldSchema``."""

    def release_hold(self, tenant: str, hold_id: str) -> None:
        """Let a hold go."""

    def hold_details(self, tenant: str, hold_id: str) -> dict[str, Any]:
        """``HoldDetailsSchema``."""

    def confirm_hold(self, tenant: str, hold_id: str, contact: dict[str, Any]) -> dict[str, Any]:
        """``contact``: ``BookingContactSchema``; answer ``ConfirmedSchema``."""

    def get_booking(self, tenant: str, reference: str, token: str) -> dict[str, Any]:
        """``BookingSchema``."""

    def cancel_booking(self, tenant: str, reference: str, token: str,
                       holder: dict[str, Any] | None = None) -> dict[str, Any]:
        """``holder``: ``HolderSchema`` (a bound booking's person); ``BookingSchema``."""

    def reschedule_booking(self, tenant: str, reference: str, token: str,
                           request: dict[str, Any],
                           holder: dict[str, Any] | None = None) -> dict[str, Any]:
        """``request``: ``office_id``, ``start``; ``holder`` as cancelling; ``BookingSchema``."""

    def booking_details(self, tenant: str, reference: str, token: str) -> dict[str, Any]:
        """``BookingDetailsSchema``."""

    # -- counter staff ----------------------------------------------------------------------
    def day_list(self, tenant: str, office_id: str, day: str, counter_id: str | None = None,
                 actor: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """``actor``: ``StaffActorSchema``; answer ``DayListEntrySchema`` (many)."""

    def check_in(self, tenant: str, reference: str,
                 actor: dict[str, Any] | None = None) -> dict[str, Any]:
        """``BookingSchema``."""

    def mark_no_show(self, tenant: str, reference: str,
                     actor: dict[str, Any] | None = None) -> dict[str, Any]:
        """``BookingSchema``."""

    def call_next(self, tenant: str, office_id: str, counter_id: str,
                  actor: dict[str, Any] | None = None) -> dict[str, Any] | None:
        """``DayListEntrySchema``, or None when nobody waits."""

    def book_walk_in(self, tenant: str, request: dict[str, Any], name: str) -> dict[str, Any]:
        """``request``: ``HoldRequestSchema``; answer ``BookingSchema``."""

    def cancel_booking_by_office(self, tenant: str, reference: str, actor: dict[str, Any],
                                 reason: str) -> dict[str, Any]:
        """``actor``: ``StaffActorSchema`` (counter_staff, tenant_admin); ``BookingSchema``."""

    # -- the notifications service (at send time) -------------------------------------------
    def booking_for_notification(self, tenant: str, reference: str) -> dict[str, Any]:
        """``BookingNoticeSchema`` (``booking_not_found`` for an unknown reference)."""

    def lottery_entry_for_notification(self, tenant: str,
                                       entry_reference: str) -> dict[str, Any]:
        """``EntryNoticeSchema`` (``not_found`` for an unknown reference)."""

    # -- residents' data --------------------------------------------------------------------
    def get_resident(self, tenant: str, subject: str) -> dict[str, Any]:
        """``ResidentSchema``."""

    def list_own_bookings(self, tenant: str, subject: str) -> list[dict[str, Any]]:
        """``BookingSchema`` (many)."""

    def export_subject(self, tenant: str, subject: str) -> dict[str, Any]:
        """Everything appointments holds about the resident (free-form JSON)."""

    # -- the fair release (lottery) ---------------------------------------------------------
    def release_info(self, tenant: str, service_id: str) -> dict[str, Any]:
        """``ReleaseSchema``."""

    def enter_lottery(self, tenant: str, request: dict[str, Any]) -> dict[str, Any]:
        """``request``: ``EntryRequestSchema``; answer ``EnteredSchema``."""

    def lottery_entry(self, tenant: str, reference: str, token: str) -> dict[str, Any]:
        """``EntrySchema``."""

    # -- catalogue maintenance (tenant admins) ----------------------------------------------
    def list_catalogue(self, tenant: str) -> dict[str, list[dict[str, Any]]]:
        """``CatalogueSchema``."""

    def get_office(self, tenant: str, office_id: str) -> dict[str, Any]:
        """``AdminOfficeSchema``."""

    def get_service(self, tenant: str, service_id: str) -> dict[str, Any]:
        """``AdminServiceSchema``."""

    def put_office(self, tenant: str, office_id: str, office: dict[str, Any],
                   expected_version: int | None, actor: dict[str, Any]) -> dict[str, Any]:
        """``office``: ``OfficeSchema``; ``actor``: ``ActorSchema``; ``AdminOfficeSchema``."""

    def put_service(self, tenant: str, service_id: str, service: dict[str, Any],
                    expected_version: int | None, actor: dict[str, Any]) -> dict[str, Any]:
        """``service``: ``OfferedServiceSchema``; answer ``AdminServiceSchema``."""

    def list_closures(self, tenant: str, office_id: str) -> dict[str, Any]:
        """``ClosuresSchema``."""

    def add_closure(self, tenant: str, office_id: str, closure: dict[str, Any],
                    expected_version: int, actor: dict[str, Any]) -> dict[str, Any]:
        """``closure``: ``ClosureSchema``; answer ``AdminOfficeSchema``."""

    def remove_closure(self, tenant: str, office_id: str, day: str, expected_version: int,
                       actor: dict[str, Any]) -> dict[str, Any]:
        """``AdminOfficeSchema``."""

    def deactivate(self, tenant: str, kind: str, entity_id: str, expected_version: int,
                   actor: dict[str, Any]) -> dict[str, Any]:
        """``kind`` office or service; answer ``AdminOfficeSchema`` or ``AdminServiceSchema``."""

    def list_catalogue_changes(self, tenant: str, limit: int = 100) -> list[dict[str, Any]]:
        """``CatalogueChangeSchema`` (many), newest first."""
