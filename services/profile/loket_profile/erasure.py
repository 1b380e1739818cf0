# SPDX-License-Identifier: EUPL-1.2
"""Erasure requests: written with ``erasure_requested``, completed when every service confirmed.

A request keeps no subject in clear, only ``subject_index`` (a keyed blind index), so once
the person's data is gone the request says nothing about them; their still-open session can
still find it by subject. ``open_key`` is the blind index while the request runs and the
request id afterwards: a unique index on it allows one running request per person.

While it runs, a request also keeps the subject encrypted under the request's own key
(``sealed_subject``) and the person's contact sealed to the notifications service
(``sealed_contact``, null without an email): at completion both go into
``erasure_finished`` (so the person can be told) and are removed, the request's key
destroyed; once published, profile deletes that event from its outbox too.
"""
from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.client_session import ClientSession
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError, PyMongoError

from loket_common.events import Event
from loket_common.handlers import handle_once
from loket_common.key_vault import SubjectCipher, owner_of
from loket_common.mongo import TenantCollection, is_transient, retried_transaction
from loket_common.outbox import OUTBOX, add_to_outbox
from loket_common.sealing import Sealer

from . import clock

SERVICE = "profile"
DEFAULT_SERVICES = ("appointments", "notifications", "permits", "profile")
REQUEST_KEYS = "erasure_request"  # the subject kept while a request runs: its own key
ATTEMPTS = 8  # parallel writers of one request (confirmations arrive together) retry

# What the profile service erases: (tenant, subject, session) -> counts by collection.
Eraser = Callable[[str, str, ClientSession], tuple[dict[str, int], dict[str, int]]]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _retried(handle: Callable[[], bool]) -> bool:
    """Run an event's ``handle_once`` again while it loses to a parallel transaction.

    An aborted attempt left no handled-marker behind, so running it again is safe; after the
    last attempt the error goes to the event handler, which retries later.
    """
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return handle()
        except PyMongoError as error:
            if attempt == ATTEMPTS or not is_transient(error):
                raise
            time.sleep(random.uniform(0, 0.01 * 2 ** attempt))  # noqa: S311 (a pause)
    raise AssertionError("unreachable")  # pragma: no cover


def public(document: dict[str, Any]) -> dict[str, Any]:
    """A request as the resident sees it."""
    return {"id": document["id"], "state": document["state"],
            "requested_at": _iso(document["requested_at"]),
            "completed_at": _iso(document.get("completed_at")),
            "services": {name: {"state": entry["state"], "at": _iso(entry.get("at"))}
                         for name, entry in document["services"].items()}}


class Erasures:
    """The ``erasure_requests`` collection and the erasure's event flow."""

    def __init__(self, database: Database, cipher: SubjectCipher) -> None:
        self.database = database
        self.cipher = cipher

    def ensure_indexes(self) -> None:
        """Requests by id, by person (newest first), one running request per person."""
        requests = self.database["erasure_requests"]
        requests.create_index([("tenant", ASCENDING), ("id", ASCENDING)], unique=True)
        requests.create_index([("tenant", ASCENDING), ("open_key", ASCENDING)], unique=True)
        requests.create_index([("tenant", ASCENDING), ("subject_index", ASCENDING),
                               ("requested_at", DESCENDING)])

    def _collection(self, tenant: str) -> TenantCollection:
        return TenantCollection(self.database["erasure_requests"], tenant)

    def request(self, tenant: str, subject: str, services: list[str],
                contact: dict[str, Any] | None = None) -> dict[str, Any]:
        """Start erasing ``subject`` in ``services``; a running request is returned instead.

        ``contact`` (``{email, name, language}``, from the profile) is sealed to the
        notifications service, which tells the person when the erasure is complete.
        """
        index = self.cipher.blind_index(tenant, subject)
        collection = self._collection(tenant)
        sealed_contact = (Sealer.for_notifications().seal(json.dumps(
            {key: contact.get(key) for key in ("email", "name", "language")}))
            if contact and contact.get("email") else None)

        def start(session: ClientSession) -> dict[str, Any]:
            running = collection.find_one({"open_key": index}, session=session)
            if running is not None:
                return public(running)
            request_id = str(uuid.uuid4())
            document = {"id": request_id, "subject_index": index, "open_key": index,
                        "state": "in_progress", "requested_at": clock.now(),
                        "completed_at": None,
                        "services": {name: {"state": "pending", "at": None} for name in services},
                        "sealed_subject": self.cipher.encrypt(
                            tenant, owner_of(None, REQUEST_KEYS, request_id), subject),
                        "sealed_contact": sealed_contact}
            collection.insert_one(document, session=session)
            add_to_outbox(self.database, Event(
                source=SERVICE, type="erasure_requested", tenant=tenant,
                data={"request_id": document["id"], "subject": subject}), session)
            return public(document)

        # a parallel request that won shows as a write conflict or a duplicate key: look again
        return retried_transaction(self.database, start, attempts=ATTEMPTS,
                                   retry_also=lambda error: isinstance(error, DuplicateKeyError))

    def running(self, tenant: str, subject: str) -> bool:
        """True while an erasure of ``subject`` is in progress."""
        index = self.cipher.blind_index(tenant, subject)
        return self._collection(tenant).count({"open_key": index}) > 0

    def status(self, tenant: str, subject: str) -> dict[str, Any] | None:
        """The subject's latest request, or None."""
        found = self.history(tenant, subject)
        return found[0] if found else None

    def history(self, tenant: str, subject: str) -> list[dict[str, Any]]:
        """Every request of the subject, newest first."""
        index = self.cipher.blind_index(tenant, subject)
        return [public(document) for document in self._collection(tenant).find(
            {"subject_index": index}, sort=[("requested_at", DESCENDING)])]

    def erase(self, event: Event, erasers: list[Eraser]) -> bool:
        """Handle ``profile.erasure_requested``: erase here, confirm in the same transaction."""
        subject = event.data["subject"]

        def apply(session: ClientSession) -> None:
            deleted: dict[str, int] = {}
            anonymised: dict[str, int] = {}
            for eraser in erasers:
                gone, kept = eraser(event.tenant, subject, session)
                deleted.update(gone)
                anonymised.update(kept)
            self._scrub_outbox(event, subject, session)
            add_to_outbox(self.database, Event(
                source=SERVICE, type="erasure_completed", tenant=event.tenant,
                data={"request_id": event.data["request_id"], "service": SERVICE,
                      "deleted": deleted, "anonymised": anonymised}), session)

        return _retried(lambda: handle_once(self.database, event, "erase_subject", apply))

    def _scrub_outbox(self, event: Event, subject: str, session: ClientSession) -> None:
        """Published events naming the subject leave the outbox (this request's included)."""
        TenantCollection(self.database[OUTBOX], event.tenant).delete_many(
            {"message.data.subject": subject,
             "$or": [{"published_at": {"$ne": None}}, {"_id": event.id}]}, session=session)

    def confirm(self, event: Event, service: str) -> bool:
        """Handle ``<service>.erasure_completed``: mark it done; complete when all are."""
        request_id = str(event.data.get("request_id"))

        def apply(session: ClientSession) -> None:
            requests = self._collection(event.tenant)
            key = {"id": request_id}
            now = clock.now()
            requests.update_one({**key, f"services.{service}": {"$exists": True}},
                                {"$set": {f"services.{service}": {"state": "done", "at": now}}},
                                session=session)
            document = requests.find_one(key, session=session)
            if document and document["state"] == "in_progress" and all(
                    entry["state"] == "done" for entry in document["services"].values()):
                completed = requests.update_one({**key, "state": "in_progress"}, {
                    "$set": {"state": "completed", "completed_at": now, "open_key": request_id},
                    "$unset": {"sealed_subject": "", "sealed_contact": ""}}, session=session)
                if completed.modified_count == 1:
                    self._finished(event.tenant, document, session)

        return _retried(lambda: handle_once(self.database, event, "confirm_erasure", apply))

    def _finished(self, tenant: str, document: dict[str, Any], session: ClientSession) -> None:
        """``erasure_finished`` with the subject and the sealed contact; the request's key goes."""
        sealed = document.get("sealed_subject")
        subject = self.cipher.decrypt(tenant, sealed) if isinstance(sealed, str) else None
        add_to_outbox(self.database, Event(
            source=SERVICE, type="erasure_finished", tenant=tenant,
            data={"request_id": document["id"], "subject": subject,
                  "sealed_contact": document.get("sealed_contact")}), session)
        self.cipher.destroy(tenant, [owner_of(None, REQUEST_KEYS, document["id"])], session)

    def forget_finished(self, event: Event) -> bool:
        """Handle profile's own ``erasure_finished``: published, it leaves the outbox."""
        def apply(session: ClientSession) -> None:
            TenantCollection(self.database[OUTBOX], event.tenant).delete_many(
                {"_id": event.id}, session=session)

        return handle_once(self.database, event, "forget_finished_erasure", apply)
