# SPDX-License-Identifier: EUPL-1.2
"""A signed-in resident's appointments data: their list, the GDPR export and erasure.

Bookings and lottery entries made while signed in carry the resident's pseudonymous
``subject`` in clear, so they are found here; their contact data is encrypted.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pymongo import DESCENDING

from loket_common.data_protection import forget_outbox_entries
from loket_common.mongo import TenantCollection

from .booking_desk import ACTIVE, BookingDesk
from .release_lottery import ENTRIES

LISTED = ("booked", "checked_in", "called", "done", "no_show", "cancelled")
SECRET = ("_id", "tenant", "manage_token_hash", "status_token_hash", "person_key",
          "client_key", "claim_id", "contact", "cancellation_reason")
# What an erased person's past booking keeps, for statistics (service, office, day, outcome).
ANONYMISED_AWAY = ("contact", "subject", "manage_token_hash", "person_key", "client_key",
                   "lottery_entry", "language", "called_to", "reminder_due_at",
                   "cancellation_reason")


def plain(value: Any) -> Any:
    """``value`` as plain JSON: dates and times as ISO 8601 strings."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


class ResidentData:
    """What appointments holds about one resident of one tenant."""

    def __init__(self, desk: BookingDesk) -> None:
        self.desk = desk
        self.database = desk.database
        self.tenant = desk.tenant
        self.entries = TenantCollection(self.database[ENTRIES], self.tenant)
        self.residents = TenantCollection(self.database["residents"], self.tenant)

    def own_bookings(self, subject: str) -> list[dict[str, Any]]:
        """The resident's bookings, upcoming and past, newest first (holds left out)."""
        return list(self.desk.bookings.find({"subject": subject, "state": {"$in": list(LISTED)}},
                                            sort=[("start", DESCENDING)], limit=500))

    def export(self, subject: str) -> dict[str, Any]:
        """Everything held about ``subject``, decrypted, as plain JSON."""
        def opened(document: dict[str, Any]) -> dict[str, Any]:
            shown = {key: value for key, value in document.items() if key not in SECRET}
            reason = document.get("cancellation_reason")
            if isinstance(reason, str):  # the office's, told to the resident
                shown["cancellation_reason"] = self.desk.cipher.decrypt(self.tenant, reason)
            return plain({**shown, "contact": self.desk.contact_of(document)})

        resident = self.residents.find_one({"id": subject}, {"_id": 0, "tenant": 0})
        return {
            "service": "appointments", "subject": subject,
            "bookings": [opened(booking) for booking in self.desk.bookings.find(
                {"subject": subject}, sort=[("start", DESCENDING)])],
            "lottery_entries": [opened(entry) for entry in self.entries.find(
                {"subject": subject}, sort=[("created_at", DESCENDING)])],
            "resident": plain(resident) if resident else None,
        }

    def erase(self, subject: str, session: Any) -> tuple[int, int]:
        """Delete or anonymise everything of ``subject`` inside ``session``.

        Future bookings are cancelled (slot freed, per-person count lowered) and deleted;
        past ones keep service, office, day, times and state, nothing that names anyone.
        Lottery entries and the residents projection are deleted, and the resident's data
        key is destroyed, so copies elsewhere (oplog, backups) no longer open. Returns
        (deleted, anonymised).
        """
        now = self.desk.now()
        deleted = anonymised = 0
        keys: set[str] = set()
        for booking in list(self.desk.bookings.find({"subject": subject}, session=session)):
            keys.add(booking.get("person_key") or "")
            if booking["start"] > now:
                if booking["state"] in ACTIVE:  # as a cancellation does
                    self.desk.ledger.release(booking["office_id"], booking["counter_id"],
                                             date.fromisoformat(booking["day"]),
                                             booking["claim_id"], session=session)
                    self.desk.uncount_booking(booking, session)
                self.desk.bookings.delete_many({"id": booking["id"]}, session=session)
                deleted += 1
            else:
                self.desk.bookings.update_one(
                    {"id": booking["id"]},
                    {"$unset": {field: "" for field in ANONYMISED_AWAY},
                     "$set": {"anonymised": True,
                              "reference": f"ANON-{uuid.uuid4().hex[:12].upper()}"}},
                    session=session)
                anonymised += 1
        for entry in self.entries.find({"subject": subject}, {"person_key": 1},
                                       session=session):
            keys.add(entry.get("person_key") or "")
        deleted += self.entries.delete_many({"subject": subject}, session=session).deleted_count
        deleted += self.residents.delete_many({"id": subject}, session=session).deleted_count
        for key in keys - {""}:
            self._forget_person_if_unused(key, session)
        forget_outbox_entries(self.database, self.tenant, subject, session,
                              paths=("subject", "booking.subject"))
        self.desk.cipher.destroy(self.tenant, [subject], session)  # shreds every copy
        return deleted, anonymised

    def _forget_person_if_unused(self, key: str, session: Any) -> None:
        """Drop a person's counter (a blind index of the email) once nothing refers to it."""
        if not (self.desk.bookings.count({"person_key": key}, session=session)
                or self.entries.count({"person_key": key}, session=session)):
            self.desk.persons.delete_many({"key": key}, session=session)
