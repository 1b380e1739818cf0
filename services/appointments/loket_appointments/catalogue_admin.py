# SPDX-License-Identifier: EUPL-1.2
"""Tenant administrators' changes to offices and services: validated, versioned, audited.

Every change reads the entry, checks the caller's expected ``version``, refuses
what would strand confirmed future bookings (``catalogue_rules.py``), and writes
the new version with a conditional replace, its ``catalogue_changes`` audit
record and its ``catalogue_changed`` outbox event in one transaction: of two
concurrent changes to one version exactly one wins.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any, Literal, overload

from pymongo import ASCENDING
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError, OperationFailure

from loket_common.errors import NotFound, ValidationFailed
from loket_common.events import Event
from loket_common.mongo import TenantCollection, transaction
from loket_common.outbox import add_to_outbox
from loket_common.validation import load
from loket_contracts.appointments.catalogue import (
    ActorSchema,
    ClosureSchema,
    OfferedServiceSchema,
    OfficeSchema,
)

from .booking_desk import ACTIVE, SOURCE, utcnow
from .catalogue_rules import check_office_references, stranded_by_office
from .exceptions import BookingsAffected, VersionConflict

CHANGES = "catalogue_changes"
KINDS = {"office": "offices", "service": "services"}
HIDDEN = {"_id": 0, "tenant": 0}
WRITE_CONFLICT = 112  # MongoDB's error code when two transactions write one document

Mutation = Callable[[dict[str, Any]], dict[str, Any]]


def ensure_catalogue_indexes(database: Database) -> None:
    """The audit trail (newest first per tenant), and bookings found by service and day."""
    database[CHANGES].create_index([("tenant", ASCENDING), ("at", ASCENDING)])
    database["bookings"].create_index([("tenant", ASCENDING), ("service_id", ASCENDING),
                                       ("day", ASCENDING)])


def checked_kind(kind: object) -> str:
    """``kind`` if it names a catalogue entry kind (office, service), else ValidationFailed."""
    if kind not in KINDS:
        raise ValidationFailed("Unknown catalogue entry kind.", invalid_params=[
            {"name": "kind", "reason": "Use office or service."}])
    return str(kind)


@overload
def checked_version(value: object, required: Literal[True] = ...) -> int: ...
@overload
def checked_version(value: object, required: bool) -> int | None: ...
def checked_version(value: object, required: bool = True) -> int | None:
    """The expected version a write names (None: create, when not ``required``)."""
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationFailed("Name the version you read (If-Match).", invalid_params=[
            {"name": "expected_version", "reason": "A positive whole number."}])
    return value


def with_id(body: Any, entity_id: str) -> Any:
    """The body with the id from the path; a different id in the body is refused."""
    if not isinstance(body, dict):
        return body
    if body.get("id", entity_id) != entity_id:
        raise ValidationFailed("The id in the body differs from the one in the path.",
                               invalid_params=[{"name": "id", "reason": "Must match the path."}])
    return {**body, "id": entity_id}


def recent_changes(database: Database, tenant: str, limit: int = 100) -> list[dict[str, Any]]:
    """The tenant's latest catalogue changes, newest first (the audit trail)."""
    return list(TenantCollection(database[CHANGES], tenant).find(
        {}, HIDDEN, sort=[("at", -1), ("_id", -1)],
        limit=max(1, min(limit, 1000)) if isinstance(limit, int) else 100))


class CatalogueAdmin:
    """Changes to one tenant's catalogue, made by ``actor`` (subject and role)."""

    def __init__(self, database: Database, tenant: str, actor: dict[str, Any],
                 now: Callable[[], datetime] = utcnow) -> None:
        self.database = database
        self.tenant = tenant
        self.actor = load(ActorSchema(), actor)
        self.now = now
        self.bookings = TenantCollection(database["bookings"], tenant)

    def _entries(self, kind: str) -> TenantCollection:
        return TenantCollection(self.database[KINDS[kind]], self.tenant)

    def get(self, kind: str, entity_id: str) -> dict[str, Any]:
        """One office or service, active or not, with its version (NotFound if unknown)."""
        entry = self._entries(kind).find_one({"id": entity_id}, HIDDEN)
        if entry is None:
            raise NotFound(f"No such {kind}.")
        return entry

    # -- offices -----------------------------------------------------------------------

    def put_office(self, office_id: str, body: dict[str, Any],
                   expected_version: int | None) -> dict[str, Any]:
        """Create (``expected_version`` None) or replace an office (closures if given)."""
        # Closures have their own resource: a body without them keeps them.
        kept = ("closures",) if isinstance(body, dict) and "closures" not in body else ()
        return self._put("office", load(OfficeSchema(), with_id(body, office_id)),
                         expected_version, kept)

    def add_closure(self, office_id: str, closure: dict[str, Any],
                    expected_version: int) -> dict[str, Any]:
        """Close an office on a day (refused while confirmed bookings fall on it)."""
        closure = load(ClosureSchema(), closure)
        return self._change("office", office_id, expected_version, "closure_added",
                            lambda office: {**office, "closures": sorted(
                                [*office["closures"], closure], key=lambda c: c["date"])})

    def remove_closure(self, office_id: str, day: str, expected_version: int) -> dict[str, Any]:
        """Open an office again on a day it was closed."""
        def reopen(office: dict[str, Any]) -> dict[str, Any]:
            kept = [closure for closure in office["closures"] if closure["date"] != day]
            if len(kept) == len(office["closures"]):
                raise NotFound("The office is not closed on this day.")
            return {**office, "closures": kept}
        return self._change("office", office_id, expected_version, "closure_removed", reopen)

    # -- services ----------------------------------------------------------------------

    def put_service(self, service_id: str, body: dict[str, Any],
                    expected_version: int | None) -> dict[str, Any]:
        """Create (``expected_version`` None) or replace an offered service as a whole."""
        return self._put("service", load(OfferedServiceSchema(), with_id(body, service_id)),
                         expected_version)

    # -- both --------------------------------------------------------------------------

    def deactivate(self, kind: str, entity_id: str, expected_version: int) -> dict[str, Any]:
        """Stop offering an office or service (kept for its past bookings, never deleted)."""
        return self._change(kind, entity_id, expected_version, "deactivated",
                            lambda entry: {**entry, "active": False})

    def _put(self, kind: str, entry: dict[str, Any], expected_version: int | None,
             kept: tuple[str, ...] = ()) -> dict[str, Any]:
        """Create, or replace all but the ``kept`` fields (which the body left out)."""
        if expected_version is None:
            return self._create(kind, entry)
        return self._change(kind, entry["id"], expected_version, "replaced",
                            lambda current: {**entry, "active": True,
                                             **{name: current[name] for name in kept}})

    def _create(self, kind: str, entry: dict[str, Any]) -> dict[str, Any]:
        created = {**entry, "version": 1, "active": True}
        if self._entries(kind).find_one({"id": entry["id"]}, {"_id": 1}) is None:
            self._check(kind, created)
        with self._conflicts_reported(kind, entry["id"]) as session:
            self._entries(kind).insert_one(created, session=session)
            self._record(kind, created, "created", None, session)
        return created

    def _change(self, kind: str, entity_id: str, expected_version: int, action: str,
                mutate: Mutation) -> dict[str, Any]:
        current = self.get(kind, entity_id)
        if current["version"] != expected_version:
            raise self._stale(kind, current["version"])
        changed = {**mutate(current), "id": entity_id, "version": expected_version + 1}
        self._check(kind, changed)
        with self._conflicts_reported(kind, entity_id) as session:
            replaced = self._entries(kind).replace_one(
                {"id": entity_id, "version": expected_version}, changed, session=session)
            if replaced.matched_count != 1:
                raise self._stale(kind, self.get(kind, entity_id)["version"])
            self._record(kind, changed, action, expected_version, session)
        return changed

    @contextmanager
    def _conflicts_reported(self, kind: str, entity_id: str) -> Iterator[Any]:
        """A transaction in which a lost race (duplicate id, write conflict) is stale."""
        try:
            with transaction(self.database) as session:
                yield session
        except OperationFailure as error:  # DuplicateKeyError is one too
            if not (isinstance(error, DuplicateKeyError) or error.code == WRITE_CONFLICT
                    or error.has_error_label("TransientTransactionError")):
                raise
            raise self._stale(kind, self.get(kind, entity_id)["version"]) from None

    @staticmethod
    def _stale(kind: str, current_version: int) -> VersionConflict:
        return VersionConflict(f"The {kind} changed meanwhile (or exists already); read it "
                               "again and send its version.", current_version=current_version)

    def _check(self, kind: str, entry: dict[str, Any]) -> None:
        """Refuse entries that name unknown services or strand future bookings (or holds)."""
        stranded: Sequence[Mapping[str, Any]]
        if kind == "office":
            if entry["active"]:
                check_office_references(entry, self._active_service_ids())
            stranded = stranded_by_office(entry, self._future_bookings({"office_id": entry["id"]}))
        else:
            stranded = ([] if entry["active"]
                        else self._future_bookings({"service_id": entry["id"]}))
        if stranded:
            raise BookingsAffected(
                f"{len(stranded)} confirmed future booking(s) would no longer fit; move or "
                "cancel them first.", affected_bookings=len(stranded))

    def _active_service_ids(self) -> list[str]:
        return [service["id"] for service in self._entries("service").find(
            {"active": {"$ne": False}}, {"id": 1})]

    def _future_bookings(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        now = self.now()
        since = (now - timedelta(days=1)).date().isoformat()  # a day of slack for time zones
        # A live hold counts too: it may be confirmed within minutes, after the change.
        return list(self.bookings.find(
            {**query, "day": {"$gte": since}, "end": {"$gt": now},
             "$or": [{"state": {"$in": list(ACTIVE)}},
                     {"state": "held", "expires_at": {"$gt": now}}]},
            {"service_id": 1, "counter_id": 1, "start": 1, "end": 1}))

    def _record(self, kind: str, entry: dict[str, Any], action: str,
                version_before: int | None, session: Any) -> None:
        """The audit record and the ``catalogue_changed`` event, in the change's transaction."""
        TenantCollection(self.database[CHANGES], self.tenant).insert_one({
            "id": str(uuid.uuid4()), "entity": kind, "entity_id": entry["id"], "action": action,
            "version_before": version_before, "version_after": entry["version"],
            "actor": self.actor, "at": self.now()}, session=session)
        add_to_outbox(self.database, Event(source=SOURCE, type="catalogue_changed",
                                           tenant=self.tenant, data={
                                               "entity": kind, "id": entry["id"],
                                               "action": action, "version": entry["version"],
                                               "active": entry["active"]}), session)
