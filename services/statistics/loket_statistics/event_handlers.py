# SPDX-License-Identifier: EUPL-1.2
"""The events the service counts: one reliable handler per event (``deploy/topology.yml``).

Each turns its event into facts (:mod:`.intake`) and counts them once
(:meth:`StatisticsStore.take_in`): a redelivered event clashes on its facts' ids.
"""
from __future__ import annotations

from typing import Any

from loket_common.events import event_from_message
from loket_common.handlers import reliable_event_handler

from .dependencies import StatisticsStore


class EventHandlersMixin:
    """Adds a handler per counted event of appointments, permits and notifications."""

    store: StatisticsStore

    def _count(self, body: dict[str, Any]) -> None:
        self.store.take_in(event_from_message(body))

    # -- appointments --------------------------------------------------------------------------

    @reliable_event_handler("appointments", "appointment_booked")
    def on_appointment_booked(self, body: dict[str, Any]) -> None:
        """``appointments_booked`` by channel; a counter booking is also a walk-in."""
        self._count(body)

    @reliable_event_handler("appointments", "appointment_cancelled")
    def on_appointment_cancelled(self, body: dict[str, Any]) -> None:
        """``appointments_cancelled`` by the booking's channel."""
        self._count(body)

    @reliable_event_handler("appointments", "appointment_checked_in")
    def on_appointment_checked_in(self, body: dict[str, Any]) -> None:
        """``appointments_checked_in``."""
        self._count(body)

    @reliable_event_handler("appointments", "appointment_no_show")
    def on_appointment_no_show(self, body: dict[str, Any]) -> None:
        """``appointments_no_show``."""
        self._count(body)

    @reliable_event_handler("appointments", "appointment_lottery_entered")
    def on_lottery_entered(self, body: dict[str, Any]) -> None:
        """``lottery_entries`` (online)."""
        self._count(body)

    @reliable_event_handler("appointments", "appointment_lottery_result")
    def on_lottery_result(self, body: dict[str, Any]) -> None:
        """``lottery_allocations`` when the entry was allocated."""
        self._count(body)

    # -- permits -------------------------------------------------------------------------------

    @reliable_event_handler("permits", "permit_started")
    def on_permit_started(self, body: dict[str, Any]) -> None:
        """``applications_started`` by the case's channel."""
        self._count(body)

    @reliable_event_handler("permits", "permit_submitted")
    def on_permit_submitted(self, body: dict[str, Any]) -> None:
        """``applications_submitted``."""
        self._count(body)

    @reliable_event_handler("permits", "permit_status_changed")
    def on_permit_status_changed(self, body: dict[str, Any]) -> None:
        """``applications_withdrawn`` when withdrawn."""
        self._count(body)

    @reliable_event_handler("permits", "permit_decided")
    def on_permit_decided(self, body: dict[str, Any]) -> None:
        """``applications_approved`` or ``_rejected``, and the lead time."""
        self._count(body)

    # -- notifications -------------------------------------------------------------------------

    @reliable_event_handler("notifications", "notification_sent")
    def on_notification_sent(self, body: dict[str, Any]) -> None:
        """``notifications_sent`` by kind and delivery channel."""
        self._count(body)

    @reliable_event_handler("notifications", "notification_failed")
    def on_notification_failed(self, body: dict[str, Any]) -> None:
        """``notifications_failed``, likewise."""
        self._count(body)
