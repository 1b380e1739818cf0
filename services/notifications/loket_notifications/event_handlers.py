# SPDX-License-Identifier: EUPL-1.2
"""The events the service answers: each becomes message records, then a nudge to send.

One handler per event (``deploy/topology.yml`` lists them); each records its messages in
the transaction that marks the event handled (``NotificationsStore.take_in``), so the
same event handled twice makes one message per kind.
"""
from __future__ import annotations

from typing import Any

from loket_common.events import event_from_message
from loket_common.handlers import reliable_event_handler

from .dependencies import NotificationsStore
from .dispatcher import Wakeup
from .runtime import Runtime


class EventHandlersMixin:
    """Adds a handler per event of appointments, permits and profile."""

    store: NotificationsStore
    runtime: Runtime
    dispatch: Wakeup

    def _take_in(self, body: dict[str, Any], handler: str) -> None:
        event = event_from_message(body)
        if self.store.take_in(event, handler, self.runtime.tenants):
            self.dispatch.nudge()

    # -- appointments ------------------------------------------------------------------------
    @reliable_event_handler("appointments", "appointment_booked")
    def on_appointment_booked(self, body: dict[str, Any]) -> None:
        """``booking_confirmed`` (not for a lottery win); keeps the manage token."""
        self._take_in(body, "on_appointment_booked")

    @reliable_event_handler("appointments", "appointment_rescheduled")
    def on_appointment_rescheduled(self, body: dict[str, Any]) -> None:
        """``booking_moved``."""
        self._take_in(body, "on_appointment_rescheduled")

    @reliable_event_handler("appointments", "appointment_cancelled")
    def on_appointment_cancelled(self, body: dict[str, Any]) -> None:
        """``booking_cancelled``; drops the manage token."""
        self._take_in(body, "on_appointment_cancelled")

    @reliable_event_handler("appointments", "appointment_reminder_due")
    def on_appointment_reminder_due(self, body: dict[str, Any]) -> None:
        """``booking_reminder``, with the kept manage link."""
        self._take_in(body, "on_appointment_reminder_due")

    @reliable_event_handler("appointments", "appointment_lottery_entered")
    def on_lottery_entered(self, body: dict[str, Any]) -> None:
        """``lottery_entered``; keeps the status token."""
        self._take_in(body, "on_lottery_entered")

    @reliable_event_handler("appointments", "appointment_lottery_result")
    def on_lottery_result(self, body: dict[str, Any]) -> None:
        """``lottery_result``."""
        self._take_in(body, "on_lottery_result")

    # -- permits -----------------------------------------------------------------------------
    @reliable_event_handler("permits", "permit_submitted")
    def on_permit_submitted(self, body: dict[str, Any]) -> None:
        """``permit_submitted``."""
        self._take_in(body, "on_permit_submitted")

    @reliable_event_handler("permits", "permit_status_changed")
    def on_permit_status_changed(self, body: dict[str, Any]) -> None:
        """``permit_information_requested`` or ``permit_status_changed``."""
        self._take_in(body, "on_permit_status_changed")

    @reliable_event_handler("permits", "permit_decided")
    def on_permit_decided(self, body: dict[str, Any]) -> None:
        """``permit_decided``."""
        self._take_in(body, "on_permit_decided")

    @reliable_event_handler("permits", "permit_case_assigned")
    def on_permit_case_assigned(self, body: dict[str, Any]) -> None:
        """``case_assigned``, to the member of staff."""
        self._take_in(body, "on_permit_case_assigned")

    # -- profile -----------------------------------------------------------------------------
    @reliable_event_handler("profile", "erasure_finished")
    def on_erasure_finished(self, body: dict[str, Any]) -> None:
        """``erasure_completed``, to the sealed contact."""
        self._take_in(body, "on_erasure_finished")
