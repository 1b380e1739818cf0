# SPDX-License-Identifier: EUPL-1.2
"""Entrypoints the notifications service calls at send time: a booking, a lottery entry.

They answer with the decrypted contact. That is a machine's read for the resident (the
message to them), not a staff access: no ``personal_data_accessed`` is reported.
"""
from __future__ import annotations

from typing import Any

from loket_common.sealed_rpc import rpc
from loket_common.tenant import checked_tenant

from .dependencies import AppointmentsStore
from .notification_reads import NotificationReads


def _reference(value: Any) -> str:
    """A reference as text (an unknown one is simply not found)."""
    return str(value)[:64]


class NotificationRpc:
    """Bookings and lottery entries by reference, with contact, office and service."""

    store: AppointmentsStore

    @rpc
    def booking_for_notification(self, tenant: str, reference: str) -> dict[str, Any]:
        """The booking with office, service, decrypted contact and how it was cancelled.

        ``booking_not_found`` for a reference this tenant does not know. Not a staff access.
        """
        tenant = checked_tenant(tenant)
        return NotificationReads(self.store.desk(tenant), self.store).booking(
            _reference(reference))

    @rpc
    def lottery_entry_for_notification(self, tenant: str,
                                       entry_reference: str) -> dict[str, Any]:
        """The entry with its state, contact and (allocated) the booking it won.

        ``not_found`` for an unknown reference. Not a staff access.
        """
        tenant = checked_tenant(tenant)
        return NotificationReads(self.store.desk(tenant), self.store).entry(
            _reference(entry_reference))
