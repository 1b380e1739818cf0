# SPDX-License-Identifier: EUPL-1.2
"""Signed-in page sessions, residents and staff kept apart, ended on the server.

Each sign-in is a record in the gateway's ``signed_in`` collection: ``kind``, ``tenant``,
``subject``, ``name``, ``login_at``, ``seen_at``, ``expires_at`` and its kind's details
(``trust_level`` for residents, ``roles`` for staff). The page session
(:mod:`.session_store`) holds only the record's random handle under ``session[kind]``.
Signing out, the inactivity and the absolute limit (per kind, from
:class:`~loket_gateway.core.settings.Settings`), "sign out everywhere" and a tenant admin
ending a staff member's sessions delete the record, so an old cookie opens nothing. Signing
in renews the session id. Signing one kind in or out never touches the other. Times come
from :data:`clock` so tests can move them.
"""
from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app, g, request, session
from pymongo import ASCENDING
from pymongo.collection import Collection
from pymongo.database import Database
from pymongo.errors import PyMongoError

from .session_store import UNAVAILABLE, unavailable

RESIDENT, STAFF = "resident", "staff"
CSRF_SESSION_KEY = "csrf_token"  # Flask-WTF's, in the session and cached in g
KINDS = (RESIDENT, STAFF)
COLLECTION = "signed_in"
# ``seen_at`` is written again after this many seconds, not on every request.
SEEN_STEP = 10
# Seconds since the epoch; tests replace it to move time.
clock: Callable[[], float] = time.time


def init_signed_in(app: Flask, database: Database) -> None:
    """Keep ``app``'s sign-ins in ``database`` (indexes are made on the first sign-in)."""
    app.extensions["loket_signed_in"] = database[COLLECTION]


@contextmanager
def _records() -> Iterator[Collection]:
    """The sign-ins; a database that does not answer is a 503 (never a 500)."""
    records: Collection = current_app.extensions["loket_signed_in"]
    try:
        yield records
    except PyMongoError as error:
        request.environ[UNAVAILABLE] = True  # nothing more to read or save in this request
        raise unavailable() from error


def _indexed(records: Collection) -> None:
    if not current_app.extensions.get("loket_signed_in_indexed"):
        records.create_index([("tenant", ASCENDING), ("kind", ASCENDING),
                              ("subject", ASCENDING)])
        records.create_index("expires_at", expireAfterSeconds=0)
        current_app.extensions["loket_signed_in_indexed"] = True


def limits(kind: str) -> tuple[float, float]:
    """(inactivity, absolute) limits in seconds for ``kind``."""
    settings = current_app.extensions["loket_settings"]
    if kind == RESIDENT:
        return settings.resident_idle_minutes * 60, settings.resident_max_minutes * 60
    return settings.staff_idle_minutes * 60, settings.staff_max_minutes * 60


def _expires_at(kind: str, login_at: float, seen_at: float) -> datetime:
    """When the database may drop the record by itself (its TTL index)."""
    idle, absolute = limits(kind)
    return datetime.fromtimestamp(min(seen_at + idle, login_at + absolute), UTC)


def _renew_session_id() -> None:
    """A new id for this browser's session (unless it is empty); the old id's record is deleted.

    An emptied session needs none: saving it deletes its record and the cookie.
    """
    try:
        current_app.session_interface.regenerate(session)  # type: ignore[attr-defined]
    except PyMongoError as error:
        raise unavailable() from error


def _cache() -> dict[str, dict[str, Any] | None]:
    return g.setdefault("_signed_in", {})


def start(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """Sign ``kind`` in with ``data`` (tenant, subject, name, ...); the other kind stays.

    The session gets a new id, the kind's earlier sign-in in this browser ends, and a new
    CSRF token is made: an id or token planted before the sign-in is worth nothing.
    """
    now = int(clock())
    record = {"_id": secrets.token_urlsafe(32), "kind": kind, **data, "login_at": now,
              "seen_at": now, "expires_at": _expires_at(kind, now, now)}
    with _records() as records:
        _indexed(records)
        earlier = session.get(kind)
        if isinstance(earlier, str):
            records.delete_one({"_id": earlier})
        records.insert_one(record)
    session[kind] = record["_id"]
    _renew_session_id()  # after: an empty session would keep its id
    session.pop(CSRF_SESSION_KEY, None)
    g.pop(CSRF_SESSION_KEY, None)
    _cache()[kind] = record
    return record


def end(kind: str) -> None:
    """Sign ``kind`` out here (its record is deleted); the other kind stays signed in."""
    handle = session.pop(kind, None)
    _cache()[kind] = None
    if isinstance(handle, str):
        with _records() as records:
            records.delete_one({"_id": handle})
        _renew_session_id()


def end_everywhere(kind: str, tenant: str, subject: str) -> int:
    """End every sign-in of ``subject`` as ``kind`` in ``tenant``, in every browser.

    Returns how many ended. The other kind's sessions stay.
    """
    chosen = {"tenant": tenant, "kind": kind, "subject": subject}
    with _records() as records:
        handles = {record["_id"] for record in records.find(chosen, {"_id": 1})}
        records.delete_many({**chosen, "_id": {"$in": sorted(handles)}})
    if session.get(kind) in handles:  # this browser's too
        session.pop(kind)
        _cache()[kind] = None
        _renew_session_id()
    return len(handles)


def expired(entry: dict[str, Any], kind: str, now: float) -> bool:
    """Whether ``entry`` has passed its inactivity or absolute limit at ``now``."""
    idle, absolute = limits(kind)
    return (now - entry.get("seen_at", 0) > idle) or (now - entry.get("login_at", 0) > absolute)


def _looked_up(kind: str) -> dict[str, Any] | None:
    """The live sign-in as ``kind`` of this browser (any tenant); ends an expired one."""
    handle = session.get(kind)
    if not isinstance(handle, str):
        return None
    now = clock()
    with _records() as records:
        record = records.find_one({"_id": handle, "kind": kind})
        if record is not None and expired(record, kind, now):
            records.delete_one({"_id": handle})
            g.session_expired = True
            record = None
        if record is None:  # expired, signed out elsewhere, or ended by an admin
            session.pop(kind)
            return None
        if now - record["seen_at"] >= SEEN_STEP:
            seen = int(now)
            record.update(seen_at=seen,
                          expires_at=_expires_at(kind, record["login_at"], seen))
            records.update_one({"_id": handle}, {"$set": {
                "seen_at": seen, "expires_at": record["expires_at"]}})
    return record


def current(kind: str, tenant: str) -> dict[str, Any] | None:
    """The signed-in ``kind`` of ``tenant`` (refreshing its inactivity time), else None.

    An expired session is ended here and ``g.session_expired`` is set, so the sign-in
    page can say why.
    """
    cache = _cache()
    if kind not in cache:
        cache[kind] = _looked_up(kind)
    record = cache[kind]
    return record if record is not None and record.get("tenant") == tenant else None


def signed_in_staff(tenant: str) -> list[dict[str, Any]]:
    """The staff of ``tenant`` signed in now, one entry per person (their sessions counted)."""
    now = clock()
    people: dict[str, dict[str, Any]] = {}
    with _records() as records:
        found = list(records.find({"tenant": tenant, "kind": STAFF}))
    for record in found:
        if expired(record, STAFF, now):
            continue
        person = people.setdefault(record["subject"], {
            "subject": record["subject"], "name": record.get("name", ""),
            "roles": record.get("roles", []), "sessions": 0, "seen_at": 0})
        person["sessions"] += 1
        person["seen_at"] = max(person["seen_at"], record["seen_at"])
    return sorted(people.values(), key=lambda person: (person["name"], person["subject"]))
