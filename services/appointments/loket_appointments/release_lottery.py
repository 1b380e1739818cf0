# SPDX-License-Identifier: EUPL-1.2
"""The fair release: lottery entries collected during a release window, and their draw.

For a service in ``lottery`` mode the newly released day is not bookable while
its window is open (``availability.ReleasePolicy.in_lottery``); residents enter
instead, one entry per person. When the window has closed, the service timer
draws: entries in a random order (not arrival order) each get the earliest free
slot they accept, through the same ledger and booking path as any booking.
Every entry ends ``allocated`` or ``not_allocated`` and its result is an event.
"""
from __future__ import annotations

import secrets
import uuid
from datetime import date, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from pymongo import ASCENDING, ReturnDocument
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from loket_common.events import Event
from loket_common.key_vault import owner_of
from loket_common.logs import get_logger
from loket_common.mongo import TenantCollection, transaction
from loket_common.outbox import add_to_outbox
from loket_common.tokens import token_hash

from .availability import LOTTERY, Release, ReleasePolicy, free_slots
from .booking_desk import SOURCE, BookingDesk, new_reference, open_by_secret
from .exceptions import AlreadyEntered, BookingLimitReached, LotteryNotOpen, NotBookable, SlotTaken

log = get_logger(__name__)

ENTRIES = "lottery_entries"
ENTRY_KEYS = "lottery_entry"  # an anonymous entry's contact is sealed under its own key
DRAWS = "lottery_draws"
LEASE = timedelta(minutes=5)  # a drawer that vanished is taken over after this
RENEW_EVERY = 50  # entries between lease renewals


class Catalogue(Protocol):
    """Where the draw finds a service and the offices offering it."""

    def service(self, tenant: str, service_id: str) -> dict[str, Any]: ...

    def offices(self, tenant: str) -> list[dict[str, Any]]: ...


def ensure_lottery_indexes(database: Database) -> None:
    """One entry per person and release; one draw per release (both start with the tenant)."""
    entries = database[ENTRIES]
    entries.create_index([("tenant", ASCENDING), ("reference", ASCENDING)], unique=True)
    entries.create_index([("tenant", ASCENDING), ("service_id", ASCENDING), ("day", ASCENDING),
                          ("person_key", ASCENDING)], unique=True)
    entries.create_index([("tenant", ASCENDING), ("state", ASCENDING), ("draw_at", ASCENDING)])
    entries.create_index([("tenant", ASCENDING), ("subject", ASCENDING)])
    database[DRAWS].create_index([("tenant", ASCENDING), ("service_id", ASCENDING),
                                  ("day", ASCENDING)], unique=True)


def release_of(service: dict[str, Any], office: dict[str, Any], now: datetime) -> Release:
    """The service's latest release, in the office's time zone."""
    return ReleasePolicy.of(service).latest_release(now.astimezone(ZoneInfo(office["timezone"])))


class ReleaseLottery:
    """Lottery entries and draws of one tenant."""

    def __init__(self, desk: BookingDesk, catalogue: Catalogue) -> None:
        self.desk = desk
        self.catalogue = catalogue
        self.database = desk.database
        self.tenant = desk.tenant
        self.entries = TenantCollection(self.database[ENTRIES], self.tenant)
        self.draws = TenantCollection(self.database[DRAWS], self.tenant)

    # -- residents -------------------------------------------------------------------

    def enter(self, service: dict[str, Any], office: dict[str, Any], office_id: str | None,
              contact: dict[str, Any]) -> tuple[dict[str, Any], str]:
        """Enter the open release of ``service``; return the entry and its status token.

        ``office`` gives the time zone (the preferred one, or any offering the service);
        ``office_id`` None means any office.
        """
        now = self.desk.now()
        release = release_of(service, office, now)
        draw_at = release.draw_at
        if draw_at is None or not release.in_lottery(now):
            raise LotteryNotOpen("No lottery is open for this service now.")
        token = secrets.token_urlsafe(24)
        contact = dict(contact)
        subject = contact.pop("subject", None)
        entry_id = str(uuid.uuid4())
        entry = {"id": entry_id, "reference": new_reference(),
                 "status_token_hash": token_hash(token), "service_id": service["id"],
                 "day": release.day.isoformat(), "office_id": office_id,
                 "contact": self.desk.seal(contact, owner_of(subject, ENTRY_KEYS, entry_id)),
                 "language": contact["language"],
                 "person_key": self.desk.person_key(contact["email"]),
                 "state": "pending", "created_at": now, "draw_at": draw_at}
        if subject:
            entry["subject"] = subject
        try:
            with transaction(self.database) as session:
                self.entries.insert_one(entry, session=session)
                add_to_outbox(self.database, self._event(
                    "appointment_lottery_entered", entry,
                    sealed_status_token=self.desk.sealer.seal(token),
                    draw_at=draw_at.isoformat()), session)
        except DuplicateKeyError:
            raise AlreadyEntered("You already entered this release's lottery; you will "
                                 "hear the result after the draw.") from None
        return entry, token

    def by_status_token(self, reference: str, token: str) -> dict[str, Any]:
        """The entry ``reference`` and its status token open (NotFound otherwise)."""
        return open_by_secret(self.entries, reference, "status_token_hash", token,
                              "No lottery entry with this reference and token.")

    def undrawn_days(self, service: dict[str, Any]) -> set[date]:
        """Days of ``service`` whose entries still wait for the draw (closed to first come)."""
        if ReleasePolicy.of(service).mode != LOTTERY:
            return set()
        return {date.fromisoformat(day) for day in self.entries.distinct(
            "day", {"service_id": service["id"], "state": "pending"})}

    def state_of(self, service: dict[str, Any], release: Release) -> str:
        """The release's state: open, drawing (window closed), drawn or first_come."""
        if release.draw_at is None:
            return "first_come"
        if release.in_lottery(self.desk.now()):
            return "open"
        return "drawing" if release.day in self.undrawn_days(service) else "drawn"

    # -- the draw (service timer) ----------------------------------------------------

    def run_due_draws(self) -> int:
        """Draw every release whose window has closed and whose entries are pending."""
        due = {(entry["service_id"], entry["day"]) for entry in self.entries.find(
            {"state": "pending", "draw_at": {"$lte": self.desk.now()}},
            {"service_id": 1, "day": 1})}
        return sum(self.draw(service_id, date.fromisoformat(day)) is not None
                   for service_id, day in sorted(due))

    def draw(self, service_id: str, day: date) -> dict[str, Any] | None:
        """Draw one release; None if another drawer holds it. Safe to repeat."""
        key = {"service_id": service_id, "day": day.isoformat()}
        draw = self._claim_draw(key)
        if draw is None:
            return None
        service = self.catalogue.service(self.tenant, service_id)
        offices = [office for office in self.catalogue.offices(self.tenant)
                   if service_id in office["service_ids"]]
        resumed = draw.get("order") is not None
        if not resumed:
            draw = self._shuffle(key, service, offices, day)
        for position, entry_id in enumerate(draw["order"], start=1):
            entry = self.entries.find_one({"id": entry_id, "state": "pending"})
            if entry is not None:  # else decided before a takeover
                if resumed:
                    self._release_stale_claims(entry_id, day)
                self._allocate(entry, service, offices, day)
            if position % RENEW_EVERY == 0:
                self.draws.update_one(key, {"$set": {"lease_until": self.desk.now() + LEASE}})
        for late in self.entries.find({**key, "state": "pending"}):  # entered after the shuffle
            self._not_allocated(late, "entered_after_draw")
        counts = {state: self.entries.count({**key, "state": state})
                  for state in ("allocated", "not_allocated")}
        log.info("lottery drawn", tenant=self.tenant, service_id=service_id, day=key["day"],
                 resumed=resumed, **counts)
        return self.draws.find_one_and_update(
            key, {"$set": {"state": "done", "finished_at": self.desk.now(), **counts}},
            return_document=ReturnDocument.AFTER)

    def _claim_draw(self, key: dict[str, Any]) -> dict[str, Any] | None:
        """Take the draw of a release: a unique document, or a stale lease taken over."""
        now = self.desk.now()
        try:
            self.draws.insert_one({**key, "state": "running", "started_at": now,
                                   "lease_until": now + LEASE, "order": None})
            return self.draws.find_one(key)
        except DuplicateKeyError:
            takeable: list[dict[str, Any]] = [{"state": "running", "lease_until": {"$lte": now}}]
            if self.entries.count({**key, "state": "pending"}):  # entered after it finished
                takeable.append({"state": "done"})
            return self.draws.find_one_and_update(
                {**key, "$or": takeable},
                {"$set": {"state": "running", "lease_until": now + LEASE}},
                return_document=ReturnDocument.AFTER)

    def _shuffle(self, key: dict[str, Any], service: dict[str, Any],
                 offices: list[dict[str, Any]], day: date) -> dict[str, Any]:
        """Fix the random order and record what is drawn (for audit) before allocating."""
        order = sorted(entry["id"] for entry in self.entries.find(
            {**key, "state": "pending"}, {"id": 1}))
        secrets.SystemRandom().shuffle(order)
        capacity = sum(len(slot.free_counters) for slot in self._free(service, offices, day))
        shuffled = self.draws.find_one_and_update(
            {**key, "order": None},
            {"$set": {"order": order, "entries": len(order), "capacity": capacity,
                      "shuffled_at": self.desk.now()}},
            return_document=ReturnDocument.AFTER) or self.draws.find_one(key)
        assert shuffled is not None, "the claimed draw document is never deleted"
        return shuffled

    def _free(self, service: dict[str, Any], offices: list[dict[str, Any]], day: date):
        slots = [slot for office in offices for slot in free_slots(
            office, service, self.desk.ledger.occupied(office["id"], [day]), [day],
            self.desk.now())]
        return sorted(slots, key=lambda slot: (slot.start, slot.office_id))

    def _allocate(self, entry: dict[str, Any], service: dict[str, Any],
                  offices: list[dict[str, Any]], day: date) -> None:
        """Give ``entry`` the earliest free slot it accepts, or none."""
        accepted = [office for office in offices
                    if entry["office_id"] in (None, office["id"])]
        by_id = {office["id"]: office for office in accepted}
        for slot in self._free(service, accepted, day):
            try:
                claimed = self.desk.claim_slot(by_id[slot.office_id], service, slot.start,
                                               self.desk.now(), claim_id=entry["id"])
            except SlotTaken:
                continue
            try:
                self._book(entry, claimed, service)
            except BookingLimitReached:
                self._unclaim(claimed)
                self._not_allocated(entry, "booking_limit_reached")
            except NotBookable:  # decided meanwhile by an overlapping drawer
                self._unclaim(claimed)
            except BaseException:
                self._unclaim(claimed)
                raise
            return
        self._not_allocated(entry, "no_slot_left")

    def _book(self, entry: dict[str, Any], claimed: dict[str, Any],
              service: dict[str, Any]) -> None:
        changes, token = self.desk.confirmation(self.desk.contact_of(entry), claimed["start"],
                                                entry.get("subject"), claimed["id"])
        booking = {**claimed, **changes, "reference": new_reference(),
                   "lottery_entry": entry["reference"]}
        limit = service["booking_policy"].get("max_active_bookings_per_person", 1)
        with transaction(self.database) as session:
            self._decide(entry, "allocated", session, booking_reference=booking["reference"],
                         booking={key: booking[key] for key in
                                  ("office_id", "start", "end")})
            self.desk.bookings.insert_one(booking, session=session)
            self.desk.count_booking(booking["person_key"], booking["service_id"], limit,
                                    session)
            booked = self.desk.event("appointment_booked", booking,  # told by lottery_result
                                     sealed_manage_token=self.desk.sealer.seal(token),
                                     entry_reference=entry["reference"])
            add_to_outbox(self.database, booked, session)
            add_to_outbox(self.database, self._event(
                "appointment_lottery_result", entry, result="allocated", reason=None,
                booking=booked.data), session)

    def _not_allocated(self, entry: dict[str, Any], reason: str) -> None:
        try:
            with transaction(self.database) as session:
                self._decide(entry, "not_allocated", session, reason=reason)
                add_to_outbox(self.database, self._event(
                    "appointment_lottery_result", entry, result="not_allocated",
                    reason=reason, booking=None), session)
        except NotBookable:
            pass  # decided meanwhile by an overlapping drawer

    def _decide(self, entry: dict[str, Any], state: str, session: Any, **result: Any) -> None:
        decided = self.entries.update_one(
            {"id": entry["id"], "state": "pending"},
            {"$set": {"state": state, "decided_at": self.desk.now(), **result}},
            session=session)
        if decided.modified_count != 1:
            raise NotBookable("This entry was decided already.")

    def _release_stale_claims(self, entry_id: str, day: date) -> None:
        """Free what a vanished drawer claimed for a still pending entry (claim id = entry id)."""
        for counter_day in self.desk.ledger.days.find({"day": day.isoformat(),
                                                       "claims.id": entry_id}):
            self.desk.ledger.release(counter_day["office_id"], counter_day["counter_id"], day,
                                     entry_id)

    def _unclaim(self, claimed: dict[str, Any]) -> None:
        self.desk.ledger.release(claimed["office_id"], claimed["counter_id"],
                                 date.fromisoformat(claimed["day"]), claimed["claim_id"])

    def _event(self, event_type: str, entry: dict[str, Any], **extra: Any) -> Event:
        """A lottery event: ids, day, language, the subject; never names or emails."""
        return Event(source=SOURCE, type=event_type, tenant=self.tenant, data={
            "entry_reference": entry["reference"], "service_id": entry["service_id"],
            "day": entry["day"], "office_id": entry["office_id"],
            "language": entry["language"], "tenant": self.tenant,
            "subject": entry.get("subject"), **extra})
