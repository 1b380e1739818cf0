# SPDX-License-Identifier: EUPL-1.2
"""The booking desk: holds, confirmation, cancellation and rescheduling of appointments.

A hold claims the slot's units in the ledger at once (so what a resident sees
as held cannot be sold to anyone else) and expires on its own; confirmation
turns it into a booking with a reference and a secret manage token. Every state
change writes its event to the outbox in the same transaction.
"""
from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pymongo import ASCENDING
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from loket_common.errors import NotFound
from loket_common.events import Event
from loket_common.key_vault import SubjectCipher, owner_of
from loket_common.logs import get_logger
from loket_common.mongo import TenantCollection, transaction
from loket_common.outbox import add_to_outbox
from loket_common.sealing import Sealer
from loket_common.tokens import token_hash

from .availability import free_slots, search_days, units_of
from .exceptions import (
    BookingLimitReached,
    ChallengeReused,
    HoldExpired,
    NotBookable,
    SlotTaken,
    TooManyHolds,
)
from .hold_quota import HoldQuota, ensure_quota_indexes
from .identity_binding import bound_contact
from .ledger import SlotLedger

log = get_logger(__name__)

SOURCE = "appointments"
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L, U: read out at the counter
ACTIVE = ("booked", "checked_in", "called")


def utcnow() -> datetime:
    """The current time (injectable for tests)."""
    return datetime.now(UTC)


def new_reference() -> str:
    """A booking reference like ``K7M2-Q9XP`` (40 random bits, easy to read out)."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"


def open_by_secret(collection: TenantCollection, reference: str, hash_field: str, token: str,
                   missing: str) -> dict[str, Any]:
    """The document that ``reference`` and its secret token open (NotFound otherwise)."""
    found = collection.find_one({"reference": str(reference).upper(),
                                 hash_field: token_hash(str(token))})
    if found is None:
        raise NotFound(missing)
    return found


@dataclass(frozen=True)
class DeskSettings:
    """Limits of the desk (service config)."""

    hold_seconds: int = 300
    holds_per_client: int = 2
    reminder_hours: int = 24


def ensure_desk_indexes(database: Database) -> None:
    """Indexes of bookings, persons, used challenges, hold quotas (each starts with the tenant)."""
    bookings = database["bookings"]
    bookings.create_index([("tenant", ASCENDING), ("id", ASCENDING)], unique=True)
    bookings.create_index([("tenant", ASCENDING), ("reference", ASCENDING)], unique=True)
    bookings.create_index([("tenant", ASCENDING), ("state", ASCENDING),
                           ("expires_at", ASCENDING)])
    bookings.create_index([("tenant", ASCENDING), ("office_id", ASCENDING), ("day", ASCENDING)])
    bookings.create_index([("tenant", ASCENDING), ("client_key", ASCENDING),
                           ("state", ASCENDING)])
    bookings.create_index([("tenant", ASCENDING), ("subject", ASCENDING), ("start", ASCENDING)])
    database["persons"].create_index([("tenant", ASCENDING), ("key", ASCENDING)], unique=True)
    database["used_challenges"].create_index([("tenant", ASCENDING), ("id", ASCENDING)],
                                             unique=True)
    ensure_quota_indexes(database)


class BookingDesk:
    """Bookings of one tenant."""

    def __init__(self, database: Database, tenant: str, settings: DeskSettings = DeskSettings(),
                 now: Callable[[], datetime] = utcnow, cipher: SubjectCipher | None = None,
                 sealer: Sealer | None = None) -> None:
        self.database = database
        self.tenant = tenant
        self.settings = settings
        self.now = now
        self.cipher = cipher or SubjectCipher.over(database)
        # Tokens for emails travel sealed to the notifications service.
        self.sealer = sealer or Sealer.for_notifications()
        self.bookings = TenantCollection(database["bookings"], tenant)
        self.persons = TenantCollection(database["persons"], tenant)
        self.ledger = SlotLedger(database, tenant)
        self.quota = HoldQuota(database, tenant)

    # -- residents -------------------------------------------------------------------

    def hold(self, office: dict[str, Any], service: dict[str, Any], start: datetime,
             client_key: str, challenge_id: str | None,
             undrawn: Collection[date] = (),
             binding: dict[str, Any] | None = None) -> dict[str, Any]:
        """Hold a slot for a few minutes; raise :class:`SlotTaken` when nobody can serve it.

        ``undrawn`` days await their lottery draw and cannot be held. ``binding`` (subject
        and level, :func:`.identity_binding.holder_binding`) binds the hold to its person.
        """
        now, hold_id = self.now(), str(uuid.uuid4())
        expires_at = now + timedelta(seconds=self.settings.hold_seconds)
        if not self.quota.take(client_key, hold_id, expires_at, now,
                               self.settings.holds_per_client):
            raise TooManyHolds("You already hold as many slots as allowed; confirm or let "
                               "one go first.", limit=self.settings.holds_per_client)
        try:
            if challenge_id is not None:
                self._use_challenge(challenge_id, now)
            booking = self.claim_slot(office, service, start, now, undrawn=undrawn,
                                      claim_id=hold_id)
            booking.update(state="held", client_key=client_key, reference=new_reference(),
                           expires_at=expires_at, **(binding or {}))
            self.bookings.insert_one(booking)
        except BaseException:
            self.quota.give_back(client_key, hold_id)
            raise
        return booking

    def confirm(self, hold_id: str, contact: dict[str, Any],
                max_active: Callable[[str], int], subject: str | None = None,
                signed_in: dict[str, Any] | None = None) -> tuple[dict[str, Any], str]:
        """Turn a hold into a booking; return it and its secret manage token.

        ``max_active(service_id)`` is how many active bookings of the service one
        person may have (the service's booking policy). ``subject``: the signed-in
        resident's pseudonym, if any (kept in clear, for their list, export and erasure);
        ``signed_in``: their sign-in's ``trust_level`` and ``name``, which a bound hold
        needs (its booking is named as signed in).
        """
        now = self.now()
        held = self.bookings.find_one({"id": hold_id})
        if held is None:
            raise NotFound("No such hold.")
        if held.get("identity_required"):
            signed_in = signed_in or {}
            contact = bound_contact(held, contact, subject, signed_in.get("trust_level"),
                                    signed_in.get("name"))
        limit = max_active(held["service_id"])
        changes, token = self.confirmation(contact, held["start"], subject, hold_id,
                                           bound=bool(held.get("identity_required")))
        with transaction(self.database) as session:
            confirmed = self.bookings.update_one(
                {"id": hold_id, "state": "held", "expires_at": {"$gt": now}},
                {"$set": changes, "$unset": {"client_key": ""}}, session=session)
            if confirmed.modified_count != 1:
                raise HoldExpired("The hold ran out; please choose a slot again.")
            self.quota.give_back(held.get("client_key"), hold_id, session)
            self.count_booking(changes["person_key"], held["service_id"], limit, session)
            booking = {**held, **changes}
            add_to_outbox(self.database, self.event(
                "appointment_booked", booking,
                sealed_manage_token=self.sealer.seal(token)), session)
        return booking, token

    def active_hold(self, hold_id: str) -> dict[str, Any]:
        """The hold ``hold_id`` while it lasts (NotFound once expired, confirmed or released)."""
        held = self.bookings.find_one({"id": hold_id, "state": "held",
                                       "expires_at": {"$gt": self.now()}})
        if held is None:
            raise NotFound("This hold has run out or was used; please choose a slot again.")
        return held

    def confirmation(self, contact: dict[str, Any], start: datetime, subject: str | None,
                     booking_id: str, bound: bool = False) -> tuple[dict[str, Any], str]:
        """What makes a claimed slot a booking of ``contact``, and its new manage token.

        The contact is stored encrypted under the resident's key (``subject``, a pseudonym
        kept in clear only if given) or else the booking's own (``booking_id``). A ``bound``
        booking counts against its person (the subject), not an email address, so more
        addresses buy no more bookings.
        """
        token = secrets.token_urlsafe(24)
        person_key = (self.cipher.blind_index(self.tenant, f"subject|{subject}")
                      if bound and subject else self.person_key(contact["email"]))
        self._ensure_person(person_key)
        owner = owner_of(subject, "booking", booking_id)
        changes = {"state": "booked", "confirmed_at": self.now(),
                   "manage_token_hash": token_hash(token), "contact": self.seal(contact, owner),
                   "language": contact["language"], "person_key": person_key,
                   "channel": "online", "expires_at": None,
                   "reminder_due_at": start - timedelta(hours=self.settings.reminder_hours)}
        if subject:
            changes["subject"] = subject
        return changes, token

    def person_key(self, email: str) -> str:
        """The pseudonymous key of a person: a blind index of their normalised email."""
        return self.cipher.blind_index(self.tenant, email.strip().lower())

    def seal(self, contact: dict[str, Any], owner: str) -> str:
        """Contact data as stored: encrypted under ``owner``'s key (see ``key_vault.owner_of``)."""
        return self.cipher.encrypt(self.tenant, owner, contact)

    def contact_of(self, stored: dict[str, Any]) -> dict[str, Any]:
        """The decrypted contact of a stored booking or entry (empty if it has none)."""
        sealed = stored.get("contact")
        return self.cipher.decrypt(self.tenant, sealed) if isinstance(sealed, str) else {}

    def release_hold(self, hold_id: str) -> None:
        """Let a hold go before it expires."""
        self._end_hold({"id": hold_id}, "released")

    def by_manage_token(self, reference: str, token: str) -> dict[str, Any]:
        """The booking that ``reference`` and its manage token open (NotFound otherwise)."""
        return open_by_secret(self.bookings, reference, "manage_token_hash", token,
                              "No booking with this reference and link.")

    def cancel(self, booking: dict[str, Any], by: str = "resident",
               changes: dict[str, Any] | None = None) -> dict[str, Any]:
        """Cancel a booking ``by`` the resident or the office; its slot is free again at once."""
        changes = {"state": "cancelled", "cancelled_at": self.now(), "cancelled_by": by,
                   **(changes or {})}
        with transaction(self.database) as session:
            done = self.bookings.update_one({"id": booking["id"], "state": "booked"},
                                            {"$set": changes}, session=session)
            if done.modified_count != 1:
                raise NotBookable("Only a booked appointment can be cancelled.")
            self.uncount_booking(booking, session)
            add_to_outbox(self.database, self.event("appointment_cancelled", booking,
                                                    cancelled_by=by), session)
        self.ledger.release(booking["office_id"], booking["counter_id"],
                            date.fromisoformat(booking["day"]), booking["claim_id"])
        return {**booking, **changes}

    def reschedule(self, booking: dict[str, Any], office: dict[str, Any],
                   service: dict[str, Any], start: datetime,
                   undrawn: Collection[date] = ()) -> dict[str, Any]:
        """Move a booking to another slot: the new slot is taken before the old one is freed."""
        if booking["state"] != "booked":
            raise NotBookable("Only a booked appointment can be moved.")
        moved = self.claim_slot(office, service, start, self.now(), undrawn=undrawn)
        changes = {key: moved[key] for key in
                   ("office_id", "counter_id", "day", "start", "end", "claim_id")}
        changes["reminder_due_at"] = start - timedelta(hours=self.settings.reminder_hours)
        changes["reminder_sent"] = False
        try:
            with transaction(self.database) as session:
                done = self.bookings.update_one(
                    {"id": booking["id"], "state": "booked", "claim_id": booking["claim_id"]},
                    {"$set": changes}, session=session)
                if done.modified_count != 1:
                    raise NotBookable("The booking changed meanwhile; please reload.")
                updated = {**booking, **changes}
                add_to_outbox(self.database, self.event(
                    "appointment_rescheduled", updated,
                    previous_start=booking["start"].isoformat()), session)
        except BaseException:
            self.ledger.release(moved["office_id"], moved["counter_id"],
                                date.fromisoformat(moved["day"]), moved["claim_id"])
            raise
        self.ledger.release(booking["office_id"], booking["counter_id"],
                            date.fromisoformat(booking["day"]), booking["claim_id"])
        return updated

    # -- timers ----------------------------------------------------------------------

    def expire_holds(self, limit: int = 500) -> int:
        """End holds whose time ran out and free their slots; return how many."""
        expired = 0
        for held in self.bookings.find({"state": "held", "expires_at": {"$lte": self.now()}},
                                       {"id": 1}, limit=limit):
            expired += self._end_hold({"id": held["id"], "expires_at": {"$lte": self.now()}},
                                      "expired")
        if expired:
            log.info("holds expired", tenant=self.tenant, count=expired)
        return expired

    def emit_due_reminders(self, limit: int = 500) -> int:
        """Emit ``appointment_reminder_due`` once for each booking whose reminder is due."""
        emitted = 0
        due = {"state": "booked", "reminder_sent": {"$ne": True},
               "reminder_due_at": {"$lte": self.now()}}
        for booking in self.bookings.find(due, limit=limit):
            with transaction(self.database) as session:
                marked = self.bookings.update_one({**due, "id": booking["id"]},
                                                  {"$set": {"reminder_sent": True}},
                                                  session=session)
                if marked.modified_count == 1:
                    add_to_outbox(self.database,
                                  self.event("appointment_reminder_due", booking), session)
                    emitted += 1
        if emitted:
            log.info("reminders due", tenant=self.tenant, count=emitted)
        return emitted

    # -- inside ----------------------------------------------------------------------

    def claim_slot(self, office: dict[str, Any], service: dict[str, Any], start: datetime,
                   now: datetime, by_staff: bool = False, undrawn: Collection[date] = (),
                   claim_id: str | None = None) -> dict[str, Any]:
        """Claim ``start`` on any free counter (walk-ins by staff ignore the release policy).

        ``claim_id`` (default: a new UUID) becomes the booking's id and ledger claim.
        """
        if by_staff:
            service = {**service, "booking_policy": {
                **service.get("booking_policy", {}), "min_lead_minutes": 0,
                "release_days_ahead": 365, "release_time": "00:00"}}
        local = start.astimezone(ZoneInfo(office["timezone"]))
        day = local.date()
        if day not in search_days(office, service, now, day, day, undrawn):
            raise SlotTaken("This day is not open for booking (yet).")
        slot = next((slot for slot in free_slots(office, service,
                                                 self.ledger.occupied(office["id"], [day]),
                                                 [day], now) if slot.start == start), None)
        if slot is None:
            raise SlotTaken("This slot is no longer free.")
        booking_id = claim_id or str(uuid.uuid4())
        units = units_of(local, service["duration_minutes"])
        for counter_id in slot.free_counters:
            if self.ledger.claim(office["id"], counter_id, day, units, booking_id):
                return {"id": booking_id, "claim_id": booking_id, "office_id": office["id"],
                        "counter_id": counter_id, "service_id": service["id"],
                        "day": day.isoformat(), "start": slot.start, "end": slot.end,
                        "created_at": now}
        raise SlotTaken("This slot was just taken by someone else.")

    def _end_hold(self, query: dict[str, Any], state: str) -> int:
        held = self.bookings.find_one_and_update({**query, "state": "held"},
                                                 {"$set": {"state": state}})
        if held is None:  # not held (any more): someone else ended or confirmed it
            return 0
        self.quota.give_back(held.get("client_key"), held["id"])
        self.ledger.release(held["office_id"], held["counter_id"],
                            date.fromisoformat(held["day"]), held["claim_id"])
        return 1

    def _use_challenge(self, challenge_id: str, now: datetime) -> None:
        try:
            TenantCollection(self.database["used_challenges"], self.tenant).insert_one(
                {"id": challenge_id, "used_at": now})
        except DuplicateKeyError:
            raise ChallengeReused("This proof of work was already used; "
                                  "please request a new one.") from None

    def _ensure_person(self, key: str) -> None:
        try:
            self.persons.insert_one({"key": key, "active": {}})
        except DuplicateKeyError:
            pass

    def count_booking(self, person_key: str, service_id: str, max_active: int,
                       session: Any) -> None:
        """Count an active booking of the person, within the limit (inside ``session``)."""
        field = f"active.{service_id}"
        counted = self.persons.update_one(
            {"key": person_key, "$or": [{field: {"$exists": False}}, {field: {"$lt": max_active}}]},
            {"$inc": {field: 1}}, session=session)
        if counted.modified_count != 1:
            raise BookingLimitReached(
                "You already have an appointment for this service; change or cancel it "
                "with the link from your confirmation.", limit=max_active)

    def uncount_booking(self, booking: dict[str, Any], session: Any) -> None:
        """One active booking fewer for its person (inside ``session``)."""
        if booking.get("person_key"):
            self.persons.update_one({"key": booking["person_key"]},
                                    {"$inc": {f"active.{booking['service_id']}": -1}},
                                    session=session)

    def event(self, event_type: str, booking: dict[str, Any], **extra: Any) -> Event:
        """An appointment event: ids, times, language, the subject; never names or emails.

        A notification asks this service for the recipient by the booking reference.
        """
        return Event(source=SOURCE, type=event_type, tenant=self.tenant, data={
            "reference": booking.get("reference"), "service_id": booking["service_id"],
            "office_id": booking["office_id"], "counter_id": booking["counter_id"],
            "start": booking["start"].isoformat(), "end": booking["end"].isoformat(),
            "language": booking.get("language"), "channel": booking.get("channel"),
            "subject": booking.get("subject"), **extra})
