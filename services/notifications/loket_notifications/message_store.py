# SPDX-License-Identifier: EUPL-1.2
"""The ``messages`` collection: records, their claims by the dispatcher, content at rest.

A record's content (address, subject line, text, HTML, attachments) is encrypted under its
recipient's key (``key_owner``: the resident's subject, else the message itself), so an
erasure that destroys the key makes every copy unreadable. The dispatcher reads due
messages in batches (:func:`due_candidates`) and claims each with a lease (:func:`claim`).
"""
from __future__ import annotations

import base64
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import ASCENDING, DESCENDING, ReturnDocument
from pymongo.client_session import ClientSession
from pymongo.database import Database

from loket_common.crypto import UndecryptableData
from loket_common.key_vault import SubjectCipher
from loket_common.mongo import AllTenants, TenantCollection, retried_transaction
from loket_common.outbox import add_to_outbox
from loket_contracts.notifications.schemas import MESSAGE_STATES

from .delivery_facts import already_told, fact_event, fact_of, told_field
from .exceptions import MessageNotFound, NotResendable
from .messages import RESENDABLE, moved, report_update, shown, status_of, step

MESSAGES = "messages"
EPOCH = datetime.fromtimestamp(0, UTC)


def due_candidates(database: Database, now: datetime, limit: int) -> list[dict[str, Any]]:
    """Up to ``limit`` messages of any tenant that are due now, the longest waiting first.

    Due: queued or failed temporarily with its next try reached, or stuck in ``sending``
    past its lease (the instance that took it died): ``due_at`` (the next try, or the
    lease's end while sending; None in a final state) has passed. One read serves a batch
    of claims (SecantusDB reads every match of a range before applying ``limit``).
    """
    messages = AllTenants(database[MESSAGES])  # one dispatcher serves every tenant
    return list(messages.find({"due_at": {"$lte": now}}, {"_id": 0, "tenant": 1, "id": 1},
                              sort=[("due_at", ASCENDING)], limit=limit))


def claim(database: Database, candidate: dict[str, Any], now: datetime,
          lease_seconds: float) -> dict[str, Any] | None:
    """Take ``candidate`` for ``lease_seconds`` if it is still due; None if another took it.

    The conditional update is atomic, so two instances never take one message at once;
    ``lease_id`` names this claim.
    """
    lease_until = now + timedelta(seconds=lease_seconds)
    messages = TenantCollection(database[MESSAGES], candidate["tenant"])
    return messages.find_one_and_update(
        {"id": candidate["id"], "due_at": {"$lte": now}},
        {"$set": {"state": "sending", "lease_until": lease_until, "due_at": lease_until,
                  "lease_id": str(uuid.uuid4()), "updated_at": now},
         "$inc": {"attempts": 1},
         "$push": {"history": step("sending", now)}},
        return_document=ReturnDocument.AFTER)


class MessageStore:
    """One tenant's messages."""

    def __init__(self, database: Database, cipher: SubjectCipher, tenant: str) -> None:
        self.database = database
        self.cipher = cipher
        self.tenant = tenant
        self.messages = TenantCollection(database[MESSAGES], tenant)

    # -- the dispatcher ----------------------------------------------------------------------
    def insert(self, record: dict[str, Any], session: ClientSession) -> None:
        """Add a new record (the unique index makes a second one per event and kind fail)."""
        self.messages.insert_one(record, session=session)

    def get(self, message_id: str) -> dict[str, Any]:
        """The record ``message_id`` (:class:`MessageNotFound`)."""
        found = self.messages.find_one({"id": str(message_id)}, {"_id": 0})
        if found is None:
            raise MessageNotFound("No message with this id.")
        return found

    def finish(self, message: dict[str, Any], update: dict[str, Any]) -> bool:
        """Apply ``update`` if this claim still holds the message; True if it did."""
        return self._move({"id": message["id"], "lease_id": message.get("lease_id")}, update)

    def _move(self, query: dict[str, Any], update: dict[str, Any]) -> bool:
        """Apply ``update`` to the message ``query`` finds; True if one was changed.

        Moving into a state the statistics count (:mod:`.delivery_facts`) puts its event
        into the outbox in the same transaction, the first time only.
        """
        state = update.get("$set", {}).get("state")
        fact = fact_of(state)
        if fact is None:
            return bool(self.messages.update_one(query, update).modified_count)
        marked = {**update, "$set": {**update["$set"], told_field(fact): True}}

        def apply(session: ClientSession) -> bool:
            before = self.messages.find_one_and_update(query, marked, session=session)
            if before is None:
                return False
            if not already_told(before, fact):
                add_to_outbox(self.database, fact_event(
                    before, fact, state, update["$set"].get("updated_at") or datetime.now(UTC)),
                    session)
            return True

        return retried_transaction(self.database, apply)

    def keep_content(self, message: dict[str, Any], content: dict[str, Any], language: str,
                     kept_until: datetime, now: datetime, channel: str = "email") -> None:
        """Store the rendered content encrypted, and the ``channel`` it goes by.

        The sealed token is not needed any more.
        """
        owner = message["key_owner"]
        sealed = dict(content, attachments=[
            {**item, "data": base64.b64encode(item["data"]).decode("ascii")}
            for item in content.get("attachments") or ()])
        self.messages.update_one({"id": message["id"], "lease_id": message.get("lease_id")}, {
            "$set": {"content": self.cipher.encrypt(self.tenant, owner, sealed),
                     "subject_line": self.cipher.encrypt(self.tenant, owner, content["subject"]),
                     "language": language, "channel": channel,
                     "content_kept_until": kept_until,
                     "resolve_again": False, "updated_at": now},
            "$unset": {"sealed_token": ""}})

    def content_of(self, message: dict[str, Any]) -> dict[str, Any] | None:
        """The decrypted content (attachments' data as bytes), or None (none, or erased)."""
        if not message.get("content"):
            return None
        try:
            content = self.cipher.decrypt(self.tenant, message["content"])
        except UndecryptableData:
            return None
        content["attachments"] = [{**item, "data": base64.b64decode(item["data"])}
                                  for item in content.get("attachments") or ()]
        return content

    # -- residents and staff ------------------------------------------------------------------
    def shown(self, message: dict[str, Any]) -> dict[str, Any]:
        """``MessageSchema`` with the subject line decrypted (None once deleted or erased)."""
        subject_line = None
        if message.get("subject_line"):
            try:
                subject_line = self.cipher.decrypt(self.tenant, message["subject_line"])
            except UndecryptableData:
                subject_line = None
        return {**shown(message), "subject_line": subject_line}

    def of_subject(self, subject_index: str) -> list[dict[str, Any]]:
        """Every message to one resident, newest first."""
        return list(self.messages.find({"subject_index": subject_index}, {"_id": 0},
                                       sort=[("created_at", DESCENDING)], limit=500))

    def about(self, about_kind: str, about_id: str) -> list[dict[str, Any]]:
        """Every message about one booking, entry, application or erasure, newest first."""
        return list(self.messages.find({"about.kind": about_kind, "about.id": about_id},
                                       {"_id": 0}, sort=[("created_at", DESCENDING)],
                                       limit=200))

    def resend(self, message_id: str, role: str | None, now: datetime) -> dict[str, Any]:
        """Queue a failed or bounced message again, its recipient asked for anew."""
        update = moved("queued", now, None, f"resent_by_{role or 'staff'}"[:60],
                       next_try_at=now, retry_from=now, attempts=0, lease_until=EPOCH,
                       resolve_again=True)
        found = self.messages.find_one_and_update(
            {"id": str(message_id), "state": {"$in": list(RESENDABLE)}}, update,
            projection={"_id": 0}, return_document=ReturnDocument.AFTER)
        if found is None:
            self.get(message_id)  # MessageNotFound first
            raise NotResendable("Only a message that failed for good or bounced is sent again.")
        return found

    def report(self, message_id: str, action: str, status: str,
               now: datetime) -> dict[str, Any]:
        """Record a relay's delivery report on the message."""
        message = self.get(message_id)
        update = report_update(message, action, status, now)
        if update is not None:
            self._move({"id": message["id"]}, update)
        return self.get(message_id)

    # -- operators (no personal data) ---------------------------------------------------------
    @staticmethod
    def counts(database: Database, tenant: str | None) -> dict[str, int]:
        """Messages per state, of one tenant or of all."""
        pipeline: list[Mapping[str, Any]] = [{"$group": {"_id": "$state", "n": {"$sum": 1}}}]
        if tenant is None:
            rows = AllTenants(database[MESSAGES]).aggregate(pipeline)
        else:
            rows = TenantCollection(database[MESSAGES], tenant).aggregate(pipeline)
        found = {row["_id"]: row["n"] for row in rows}
        return {state: int(found.get(state, 0)) for state in MESSAGE_STATES}

    @staticmethod
    def failed(database: Database, tenant: str | None, limit: int,
               after: str | None) -> dict[str, Any]:
        """A page of permanent failures, oldest first; ``after``: the last page's cursor."""
        query: dict[str, Any] = {"state": "permanent_failure"}
        if after:
            at, _, last_id = after.partition("|")
            try:
                since = datetime.fromisoformat(at)
            except ValueError:
                since = EPOCH
            query["$or"] = [{"created_at": {"$gt": since}},
                            {"created_at": since, "id": {"$gt": last_id}}]
        source = (AllTenants(database[MESSAGES]) if tenant is None
                  else TenantCollection(database[MESSAGES], tenant))
        limit = max(1, min(int(limit), 200))
        found = list(source.find(query, {"_id": 0}, sort=[("created_at", ASCENDING),
                                                          ("id", ASCENDING)], limit=limit + 1))
        page = found[:limit]
        cursor = (f"{page[-1]['created_at'].isoformat()}|{page[-1]['id']}"
                  if len(found) > limit else None)
        return {"items": [status_of(message) for message in page], "next": cursor}

    # -- retention and erasure ----------------------------------------------------------------
    @staticmethod
    def drop_old_content(database: Database, now: datetime) -> int:
        """Delete contents past their keeping time, every tenant; the records stay."""
        return AllTenants(database[MESSAGES]).update_many(  # retention spans the tenants
            {"content_kept_until": {"$lte": now}},
            {"$set": {"content": None, "subject_line": None, "content_kept_until": None},
             "$unset": {"sealed_token": ""}}).modified_count

    def erase(self, subject_index: str, session: ClientSession) -> int:
        """Delete every message to the resident."""
        return self.messages.delete_many({"subject_index": subject_index},
                                         session=session).deleted_count


def ensure_message_indexes(database: Database) -> None:
    """One message per event and kind; the dispatcher's and the pages' look-ups."""
    messages = database[MESSAGES]
    messages.create_index([("tenant", ASCENDING), ("event_id", ASCENDING),
                           ("kind", ASCENDING)], unique=True)
    messages.create_index([("tenant", ASCENDING), ("id", ASCENDING)], unique=True)
    messages.create_index([("due_at", ASCENDING)])  # spans tenants: the dispatcher's claim
    messages.create_index([("tenant", ASCENDING), ("subject_index", ASCENDING),
                           ("created_at", DESCENDING)])
    messages.create_index([("tenant", ASCENDING), ("about.kind", ASCENDING),
                           ("about.id", ASCENDING), ("created_at", DESCENDING)])
    messages.create_index([("tenant", ASCENDING), ("state", ASCENDING),
                           ("created_at", ASCENDING), ("id", ASCENDING)])
    messages.create_index([("content_kept_until", ASCENDING)])
