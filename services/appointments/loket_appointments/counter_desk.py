# SPDX-License-Identifier: EUPL-1.2
"""The counter: the day list, check-in, calling the next resident, no-shows and walk-ins.

Used by counter staff (the gateway checks their role and tenant); every step
is a conditional state change with its event in the same transaction.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pymongo.database import Database

from loket_common.data_protection import access_event
from loket_common.errors import NotFound
from loket_common.key_vault import owner_of
from loket_common.mongo import TenantCollection, transaction
from loket_common.outbox import add_to_outbox

from .availability import counters_for
from .booking_desk import SOURCE, BookingDesk, new_reference
from .exceptions import NotBookable

ON_THE_DAY_LIST = ("booked", "checked_in", "called", "no_show", "done")
PURPOSE = "counter_service"


class CounterDesk:
    """What counter staff do with one tenant's bookings."""

    def __init__(self, desk: BookingDesk) -> None:
        self.desk = desk
        self.database: Database = desk.database
        self.bookings: TenantCollection = desk.bookings

    def day_list(self, office_id: str, day: date, counter_id: str | None = None,
                 actor: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """The day's bookings at an office (or one counter), earliest first, with names.

        With ``actor``, each shown booking of a signed-in resident is logged as an access.
        """
        query: dict[str, Any] = {"office_id": office_id, "day": day.isoformat(),
                                 "state": {"$in": list(ON_THE_DAY_LIST)}}
        if counter_id:
            query["counter_id"] = counter_id
        entries = list(self.bookings.find(query, sort=[("start", 1), ("reference", 1)]))
        self.desk.cipher.preload(self.desk.tenant, [entry.get("contact") for entry in entries])
        for entry in entries:
            entry["name"] = self.desk.contact_of(entry).get("name")
        seen = [entry for entry in entries if entry.get("subject")]
        if actor and seen:
            with transaction(self.database) as session:
                for entry in seen:
                    self._log_access(entry, actor, session)
        return entries

    def check_in(self, reference: str, actor: dict[str, Any] | None = None) -> dict[str, Any]:
        """The resident arrived."""
        return self._move(reference, "booked", "checked_in", "appointment_checked_in", actor)

    def no_show(self, reference: str, actor: dict[str, Any] | None = None) -> dict[str, Any]:
        """The resident did not come."""
        return self._move(reference, "booked", "no_show", "appointment_no_show", actor)

    def finish(self, reference: str) -> dict[str, Any]:
        """The resident was served."""
        return self._move(reference, "called", "done", None)

    def call_next(self, office: dict[str, Any], counter_id: str,
                  actor: dict[str, Any] | None = None) -> dict[str, Any] | None:
        """Call the checked-in resident who is due first to ``counter_id``; None if nobody waits.

        The answer carries the name to call them by (an access, logged with ``actor``).
        """
        served = [service for service in office["service_ids"]
                  if counter_id in counters_for(office, service)]
        while True:
            waiting = self.bookings.find_one(
                {"office_id": office["id"], "state": "checked_in", "service_id": {"$in": served}},
                sort=[("start", 1)])
            if waiting is None:
                return None
            with transaction(self.database) as session:
                called = self.bookings.update_one(
                    {"id": waiting["id"], "state": "checked_in"},
                    {"$set": {"state": "called", "called_to": counter_id}}, session=session)
                if called.modified_count == 1 and actor and waiting.get("subject"):
                    self._log_access(waiting, actor, session)
            if called.modified_count == 1:  # else another counter called them first
                return {**waiting, "state": "called", "called_to": counter_id,
                        "name": self.desk.contact_of(waiting).get("name")}

    def walk_in(self, office: dict[str, Any], service: dict[str, Any], start: datetime,
                name: str) -> dict[str, Any]:
        """Book a slot for someone at the counter (no email, no proof of work)."""
        booking = self.desk.claim_slot(office, service, start, self.desk.now(),
                                       by_staff=True)
        sealed = self.desk.seal({"name": name}, owner_of(None, "booking", booking["id"]))
        booking.update(state="booked", reference=new_reference(), channel="counter",
                       walk_in=True, contact=sealed, language=None,
                       reminder_sent=True, confirmed_at=self.desk.now())
        with transaction(self.database) as session:
            self.bookings.insert_one(booking, session=session)
            add_to_outbox(self.database,
                          self.desk.event("appointment_booked", booking), session)
        return booking

    def _move(self, reference: str, from_state: str, to_state: str,
              event_type: str | None, actor: dict[str, Any] | None = None) -> dict[str, Any]:
        booking = self.bookings.find_one({"reference": str(reference).upper()})
        if booking is None:
            raise NotFound("No booking with this reference.")
        with transaction(self.database) as session:
            done = self.bookings.update_one({"id": booking["id"], "state": from_state},
                                            {"$set": {"state": to_state}}, session=session)
            if done.modified_count != 1:
                raise NotBookable(f"The booking is {booking['state']}, not {from_state}.")
            moved = {**booking, "state": to_state}
            if event_type:
                add_to_outbox(self.database, self.desk.event(event_type, moved), session)
            if actor and booking.get("subject"):
                self._log_access(booking, actor, session)
        return moved

    def _log_access(self, booking: dict[str, Any], actor: dict[str, Any], session: Any) -> None:
        """Staff saw the booking's contact data: ``personal_data_accessed`` for its subject."""
        add_to_outbox(self.database, access_event(
            SOURCE, self.desk.tenant, booking["subject"], actor, PURPOSE,
            booking.get("reference"), self.desk.now()), session)
