# SPDX-License-Identifier: EUPL-1.2
"""What the notifications service reads about a booking or lottery entry at send time.

Events name a booking or entry by its reference only; the notifications service asks here
for the facts and the decrypted contact when it writes the message. That is a machine's
read on the resident's behalf, not a staff access: no ``personal_data_accessed`` is
reported.
"""
from __future__ import annotations

from typing import Any, Protocol

from loket_common.errors import NotFound
from loket_common.mongo import TenantCollection
from loket_contracts.appointments.notices import BookingNoticeSchema, EntryNoticeSchema

from .booking_desk import BookingDesk
from .exceptions import BookingNotFound
from .release_lottery import ENTRIES

booking_out = BookingNoticeSchema()
entry_out = EntryNoticeSchema()


class Catalogue(Protocol):
    """Where an office and a service are found."""

    def office(self, tenant: str, office_id: str) -> dict[str, Any]: ...

    def service(self, tenant: str, service_id: str) -> dict[str, Any]: ...


class NotificationReads:
    """Bookings and lottery entries of one tenant, as a notification needs them."""

    def __init__(self, desk: BookingDesk, catalogue: Catalogue) -> None:
        self.desk = desk
        self.catalogue = catalogue
        self.tenant = desk.tenant
        self.entries = TenantCollection(desk.database[ENTRIES], desk.tenant)

    def booking(self, reference: str) -> dict[str, Any]:
        """``BookingNoticeSchema`` of the booking ``reference`` (BookingNotFound if none)."""
        found = self.desk.bookings.find_one({"reference": str(reference).upper(),
                                             "state": {"$ne": "held"}})
        if found is None:
            raise BookingNotFound("No booking with this reference.")
        return booking_out.dump(self._booking(found))

    def entry(self, reference: str) -> dict[str, Any]:
        """``EntryNoticeSchema`` of the entry ``reference`` (NotFound if none)."""
        found = self.entries.find_one({"reference": str(reference).upper()})
        if found is None:
            raise NotFound("No lottery entry with this reference.")
        booking = None
        if found["state"] == "allocated" and found.get("booking_reference"):
            won = self.desk.bookings.find_one({"reference": found["booking_reference"]})
            booking = self._booking(won) if won else None
        service = self._service(found["service_id"])
        return entry_out.dump({
            **found, "tenant": self.tenant, "booking": booking, "reason": found.get("reason"),
            "service": service or {"id": found["service_id"], "name": None},
            "office": self._office(found["office_id"]) if found.get("office_id") else None,
            "contact": self._contact(found), "subject": found.get("subject")})

    def _booking(self, stored: dict[str, Any]) -> dict[str, Any]:
        reason = stored.get("cancellation_reason")
        return {**stored, "tenant": self.tenant, "office": self._office(stored["office_id"]),
                "service": self._service(stored["service_id"]),
                "contact": self._contact(stored), "subject": stored.get("subject"),
                "cancelled_by": stored.get("cancelled_by"),
                "cancellation_reason": (self.desk.cipher.decrypt(self.tenant, reason)
                                        if isinstance(reason, str) else None)}

    def _contact(self, stored: dict[str, Any]) -> dict[str, Any]:
        contact = self.desk.contact_of(stored)
        return {"name": contact.get("name"), "email": contact.get("email"),
                "language": contact.get("language") or stored.get("language")}

    def _office(self, office_id: str) -> dict[str, Any] | None:
        try:
            return self.catalogue.office(self.tenant, office_id)
        except NotFound:
            return None

    def _service(self, service_id: str) -> dict[str, Any] | None:
        try:
            return self.catalogue.service(self.tenant, service_id)
        except NotFound:
            return None
