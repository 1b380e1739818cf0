# SPDX-License-Identifier: EUPL-1.2
"""Applications (cases) of one tenant: drafts, attachments, submission, workflow steps.

Every step is a conditional update on the current state (``{"id", "state": from}``)
that ``$push``es one entry to the append-only ``history``, in the same
transaction as its outbox events: of two concurrent steps exactly one wins.
"""
from __future__ import annotations

import base64
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from bson import Binary
from pymongo import ASCENDING, DESCENDING, ReturnDocument
from pymongo.database import Database
from pymongo.errors import BulkWriteError, DuplicateKeyError, OperationFailure

from loket_common.crypto import DataCipher, default_cipher
from loket_common.data_protection import access_event
from loket_common.errors import NotFound, ValidationFailed
from loket_common.events import Event
from loket_common.mongo import TenantCollection, is_transient, retried_transaction, transaction
from loket_common.outbox import add_to_outbox

from . import attachments, case_events, case_queue, workflow
from .case_crypto import CaseSeal
from .exceptions import DraftIncomplete, TransitionNotAllowed
from .fees import fee_cents
from .form_schema import checked_data
from .type_catalogue import TypeCatalogue

NO_ID = {"_id": 0}
WRITE_CONFLICT = 112  # two transactions wrote one document: the other one won
COUNTED_STEP_ATTEMPTS = 10
DUPLICATE_KEY = 11000


def utcnow() -> datetime:
    """Now, in UTC, to the millisecond (what BSON keeps)."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def ensure_case_indexes(database: Database) -> None:
    """Lookup, own-list and queue indexes; every one starts with the tenant."""
    applications = database["applications"]
    applications.create_index([("tenant", ASCENDING), ("id", ASCENDING)], unique=True)
    applications.create_index([("tenant", ASCENDING), ("applicant.subject", ASCENDING),
                               ("created_at", DESCENDING)])
    database["attachment_files"].create_index([("tenant", ASCENDING), ("id", ASCENDING)],
                                              unique=True)
    database["counters"].create_index([("tenant", ASCENDING), ("id", ASCENDING)], unique=True)
    case_queue.ensure_queue_indexes(database)


def with_overdue(case: dict[str, Any], now: datetime,
                 appointment_service: str | None = None) -> dict[str, Any]:
    """The case with its computed ``overdue`` flag, ``next_step`` and ``appointment_service``."""
    due_at = case.get("due_at")
    overdue = bool(due_at and case["state"] in workflow.OPEN_STATES and due_at < now)
    return {**case, "overdue": overdue, "appointment_service": appointment_service,
            "next_step": workflow.next_step(case["state"], appointment_service)}


class CaseDesk:
    """The applications of one tenant, for applicants and case workers."""

    def __init__(self, database: Database, tenant: str, types: TypeCatalogue,
                 now: Callable[[], datetime] = utcnow, cipher: DataCipher | None = None) -> None:
        self.database = database
        self.tenant = tenant
        self.types = types
        self.now = now
        self.sealer = CaseSeal(cipher or default_cipher(), tenant)
        self.cases = TenantCollection(database["applications"], tenant)
        self.files = TenantCollection(database["attachment_files"], tenant)
        self.counts = TenantCollection(database["queue_counts"], tenant)

    # reading
    def case(self, application_id: str) -> dict[str, Any]:
        """Any submitted application of the tenant (for case workers; drafts are private)."""
        found = self.cases.find_one({"id": application_id, "state": {"$ne": "draft"}}, NO_ID)
        if found is None:
            raise NotFound("No such application.")
        return self._view(found, self.now())

    def read_case(self, application_id: str, actor: dict[str, Any],
                  purpose: str = "case_processing") -> dict[str, Any]:
        """A case opened by a member of staff: the access is logged for the applicant."""
        case = self.case(application_id)
        self.log_access(case, actor, purpose)
        return case

    def log_access(self, case: dict[str, Any], actor: dict[str, Any], purpose: str) -> None:
        """Emit ``personal_data_accessed`` for the case's applicant (none once erased)."""
        subject = (case.get("applicant") or {}).get("subject")
        if subject:
            with transaction(self.database) as session:
                add_to_outbox(self.database, access_event(
                    case_events.SOURCE, self.tenant, subject, actor, purpose,
                    case["reference"], self.now()), session)

    def own(self, subject: str, application_id: str) -> dict[str, Any]:
        """The applicant's own application; NotFound for anyone else's (never revealed)."""
        found = self.cases.find_one({"id": application_id, "applicant.subject": subject},
                                    NO_ID)
        if found is None:
            raise NotFound("No such application.")
        return self._view(found, self.now())

    def mine(self, subject: str) -> list[dict[str, Any]]:
        """The applicant's applications, newest first."""
        now = self.now()
        return [self._view(case, now) for case in self.cases.find(
            {"applicant.subject": subject}, {"_id": 0, "history": 0},
            sort=[("created_at", DESCENDING)], limit=500)]

    def queue(self, query: dict[str, Any]) -> dict[str, Any]:
        """A page of the case workers' queue (see :mod:`case_queue`)."""
        now = self.now()
        result = case_queue.page(self.cases, self.counts, query, now,
                                 {"_id": 0, "history": 0, "data": 0})
        result["items"] = [with_overdue(self.sealer.open(item), now)
                           for item in result["items"]]
        return result

    # drafts
    def create(self, applicant: dict[str, Any], type_id: str, data: dict[str, Any],
               on_behalf_of: dict[str, Any] | None) -> dict[str, Any]:
        """A new draft; ``data`` is checked for types only."""
        permit_type = self.types.get(self.tenant, type_id)
        checked = checked_data(permit_type, data, "draft")
        now = self.now()
        case = {"id": str(uuid.uuid4()), "reference": self._reference(now), "tenant": self.tenant,
                "type_id": type_id, "state": "draft", "data": checked, "attachments": [],
                "fee_cents": fee_cents(permit_type["fee"], checked),
                "on_behalf_of": on_behalf_of, "applicant": applicant, "assigned_to": None,
                "created_at": now, "submitted_at": None, "due_at": None, "decided_at": None,
                "decision": None, "information_request": None, "history": []}
        self.cases.insert_one(self.sealer.seal(case))
        return with_overdue(case, now, permit_type["appointment_service"])

    def update_draft(self, subject: str, application_id: str,
                     data: dict[str, Any]) -> dict[str, Any]:
        """Merge ``data`` into a draft (or an application information was asked for)."""
        case = self.own(subject, application_id)
        if case["state"] not in workflow.EDITABLE_STATES:
            raise TransitionNotAllowed("Only drafts and applications awaiting information can "
                                       "be changed.", state=case["state"])
        permit_type = self.types.get(self.tenant, case["type_id"])
        merged = {**case["data"], **checked_data(permit_type, data, "draft")}
        changed = self.cases.update_one(
            {"id": application_id, "state": case["state"]},
            {"$set": {"data": self.sealer.seal({"data": merged})["data"],
                      "fee_cents": fee_cents(permit_type["fee"], merged)}})
        if changed.matched_count != 1:
            raise TransitionNotAllowed("The application changed meanwhile.")
        return self.own(subject, application_id)

    # attachments
    def add_attachment(self, subject: str, application_id: str, document_id: str,
                       filename: str, content_base64: str) -> dict[str, Any]:
        """Store a file for one of the type's documents, checked by content and size."""
        case = self.own(subject, application_id)
        documents = {doc["id"]: doc
                     for doc in self.types.get(self.tenant, case["type_id"])["documents"]}
        if document_id not in documents:
            raise ValidationFailed("Unknown document.", invalid_params=[
                {"name": "document_id", "reason": "This application takes no such document."}])
        content = attachments.decoded(content_base64)
        detected = attachments.checked_file(documents[document_id], content)
        attachment = {"id": str(uuid.uuid4()), "document_id": document_id,
                      "filename": filename, "content_type": detected, "size": len(content),
                      "uploaded_at": self.now()}
        with self._step() as session:
            self.files.insert_one({"id": attachment["id"], "application_id": application_id,
                                   "content": Binary(self.sealer.content(content))},
                                  session=session)
            self._editable_update(subject, application_id,
                                  {"$push": {"attachments": self.sealer.attachment(attachment)}},
                                  session)
        return attachment

    def remove_attachment(self, subject: str, application_id: str, attachment_id: str) -> None:
        """Remove one of the applicant's files while the application can be changed."""
        case = self.own(subject, application_id)
        if attachment_id not in {item["id"] for item in case["attachments"]}:
            raise NotFound("No such attachment.")
        with self._step() as session:
            self._editable_update(subject, application_id,
                                  {"$pull": {"attachments": {"id": attachment_id}}}, session)
            self.files.delete_many({"id": attachment_id}, session=session)

    def attachment(self, application_id: str, attachment_id: str, subject: str | None,
                   actor: dict[str, Any] | None = None) -> dict[str, Any]:
        """A file: the applicant's own (``subject``) or, for staff (None), any of the tenant.

        A download by staff (``actor``) is logged for the applicant.
        """
        case = self.case(application_id) if subject is None else self.own(subject,
                                                                             application_id)
        meta = next((item for item in case["attachments"] if item["id"] == attachment_id), None)
        stored = meta and self.files.find_one({"id": attachment_id,
                                               "application_id": application_id})
        if not stored:
            raise NotFound("No such attachment.")
        if actor is not None:
            self.log_access(case, actor, "case_attachment")
        return {"filename": meta["filename"], "content_type": meta["content_type"],
                "content_base64": base64.b64encode(
                    self.sealer.open_content(stored["content"])).decode()}

    # applicant's steps
    def submit(self, subject: str, application_id: str) -> dict[str, Any]:
        """Full validation, fee, due date; ``draft`` -> ``submitted``; event permit_submitted."""
        case = self.own(subject, application_id)
        permit_type = self.types.get(self.tenant, case["type_id"])
        workflow.check(permit_type["workflow"], case["state"], "submitted", "applicant")
        data = self._complete(permit_type, case, case["data"])
        now = self.now()
        changes = {"data": data, "fee_cents": fee_cents(permit_type["fee"], data),
                   "submitted_at": now,
                   "due_at": now + timedelta(days=permit_type["processing_days"])}
        return self._step_to(case, permit_type, "submitted", None,
                             {"subject": subject, "role": "applicant"}, changes,
                             [case_events.submitted])

    def answer(self, subject: str, application_id: str, data: dict[str, Any],
               message: str) -> dict[str, Any]:
        """Answer an information request: merge ``data``; back to ``submitted`` (resubmitted)."""
        case = self.own(subject, application_id)
        permit_type = self.types.get(self.tenant, case["type_id"])
        workflow.check(permit_type["workflow"], case["state"], "submitted", "applicant")
        merged = self._complete(permit_type, case, {
            **case["data"], **checked_data(permit_type, data, "draft")})
        changes = {"data": merged, "fee_cents": fee_cents(permit_type["fee"], merged)}
        return self._step_to(case, permit_type, "submitted", message,
                             {"subject": subject, "role": "applicant"}, changes, [],
                             action="resubmitted")

    def withdraw(self, subject: str, application_id: str, reason: str) -> dict[str, Any]:
        """The applicant withdraws (from any open state or the draft)."""
        case = self.own(subject, application_id)
        permit_type = self.types.get(self.tenant, case["type_id"])
        return self._step_to(case, permit_type, "withdrawn", reason,
                             {"subject": subject, "role": "applicant"}, {}, [])

    # case workers' steps
    def assign(self, application_id: str, assignee: str | None,
               actor: dict[str, Any]) -> dict[str, Any]:
        """Assign a case to a case worker (None: unassign); recorded in the history."""
        case = self.case(application_id)
        entry = {"at": self.now(), "by": actor, "from": case["state"], "to": case["state"],
                 "reason": f"assigned to {assignee or 'nobody'}", "action": "assigned"}
        moves = case_queue.count_moves(case, {**case, "assigned_to": assignee})

        def step(session: Any) -> None:
            changed = self.cases.update_one({"id": application_id, "state": case["state"]},
                                            {"$set": {"assigned_to": assignee},
                                             "$push": {"history": self.sealer.entry(entry)}},
                                            session=session)
            if changed.matched_count != 1:
                raise TransitionNotAllowed("The application changed meanwhile.")
            case_queue.apply_counts(self.database, self.tenant, moves, session)

        self._counted_step(step)
        return self.case(application_id)

    def transition(self, application_id: str, to_state: str, reason: str | None,
                   actor: dict[str, Any],
                   information_request: dict[str, Any] | None) -> dict[str, Any]:
        """A case worker's step: review, ask for information, approve or reject."""
        case = self.case(application_id)
        permit_type = self.types.get(self.tenant, case["type_id"])
        changes: dict[str, Any] = {}
        events = []
        if to_state == "information_requested":
            if not information_request:
                raise ValidationFailed("Say what information is needed.", invalid_params=[
                    {"name": "information_request", "reason": "Required for this step."}])
            known = ({field["name"] for field in permit_type["fields"]}
                     | {f"documents.{doc['id']}" for doc in permit_type["documents"]})
            unknown = sorted(set(information_request["fields"]) - known)
            if unknown:
                raise ValidationFailed("Unknown fields in the request.", invalid_params=[
                    {"name": "information_request.fields",
                     "reason": f"Not fields of this type: {', '.join(unknown)}."}])
            changes["information_request"] = information_request
        if to_state in ("approved", "rejected"):
            if not reason:
                raise ValidationFailed("A decision needs a reason.", invalid_params=[
                    {"name": "reason", "reason": "Required for a decision."}])
            changes["decision"] = {"outcome": to_state, "reason": reason}
            changes["decided_at"] = self.now()
            events.append(case_events.decided)
        return self._step_to(case, permit_type, to_state, reason, actor, changes, events)

    # internals
    def view(self, stored: dict[str, Any]) -> dict[str, Any]:
        """A stored application as the edge shows it: decrypted, with computed fields."""
        return self._view(stored, self.now())

    def _view(self, stored: dict[str, Any], now: datetime) -> dict[str, Any]:
        case = self.sealer.open(stored)
        try:
            service = self.types.get(self.tenant, case["type_id"])["appointment_service"]
        except NotFound:  # a type the tenant no longer offers
            service = None
        return with_overdue(case, now, service)

    def _complete(self, permit_type: dict[str, Any], case: dict[str, Any],
                  data: dict[str, Any]) -> dict[str, Any]:
        """``data`` checked in submit mode, plus required documents; names all that is missing."""
        missing = [{"name": f"documents.{doc['id']}", "reason": "This document is required."}
                   for doc in permit_type["documents"] if doc["required"]
                   and doc["id"] not in {item["document_id"] for item in case["attachments"]}]
        try:
            checked = checked_data(permit_type, data, "submit")
        except ValidationFailed as error:
            missing = error.extra["invalid_params"] + missing
        if missing:
            raise DraftIncomplete("The application is incomplete.", invalid_params=missing)
        return checked

    def _step_to(self, case: dict[str, Any], permit_type: dict[str, Any], to_state: str,
                 reason: str | None, actor: dict[str, Any], changes: dict[str, Any],
                 events: list[Callable[..., Event]], action: str | None = None
                 ) -> dict[str, Any]:
        """Check the workflow, then move the case iff it is still in its state."""
        workflow.check(permit_type["workflow"], case["state"], to_state, actor["role"])
        entry = {"at": self.now(), "by": {"subject": actor["subject"], "role": actor["role"]},
                 "from": case["state"], "to": to_state, "reason": reason,
                 "action": action or to_state}
        moved = {**case, **changes, "state": to_state, "history": [*case["history"], entry]}
        moves = case_queue.count_moves(case, moved)

        def step(session: Any) -> None:
            changed = self.cases.update_one(
                {"id": case["id"], "state": case["state"]},
                {"$set": {**self.sealer.seal(changes), "state": to_state},
                 "$push": {"history": self.sealer.entry(entry)}},
                session=session)
            if changed.matched_count != 1:
                raise TransitionNotAllowed("The application changed meanwhile.",
                                           state=case["state"], to=to_state)
            case_queue.apply_counts(self.database, self.tenant, moves, session)
            for make in [*events, case_events.status_changed]:
                event = (make(moved, permit_type, entry) if make is case_events.status_changed
                         else make(moved, permit_type))
                add_to_outbox(self.database, event, session)

        self._counted_step(step)
        return self.case(case["id"])

    def _editable_update(self, subject: str, application_id: str, update: dict[str, Any],
                         session: Any) -> None:
        changed = self.cases.update_one(
            {"id": application_id, "applicant.subject": subject,
             "state": {"$in": list(workflow.EDITABLE_STATES)}}, update, session=session)
        if changed.matched_count != 1:
            raise TransitionNotAllowed("Files can be changed only in drafts and applications "
                                       "awaiting information.")

    def _step(self):
        return _lost_race_reported(self.database)

    def _counted_step(self, step: Callable[[Any], None]) -> None:
        """Run a step that moves queue counters, again when it lost a write conflict.

        The conflict is often on a shared counter, not on the case; when the case itself
        moved meanwhile, the retry finds it changed (TransitionNotAllowed).
        """
        try:
            retried_transaction(self.database, step, attempts=COUNTED_STEP_ATTEMPTS,
                                retry_also=_first_count_of_a_key)
        except OperationFailure as error:
            if not (is_transient(error) or _first_count_of_a_key(error)):
                raise
            raise TransitionNotAllowed("The application changed meanwhile.") from None

    def _reference(self, now: datetime, count: int = 1) -> str:
        """A human reference, ``PA-<year>-<number>``, counted per tenant and year."""
        counter_id = f"references-{now.year}"
        counters = TenantCollection(self.database["counters"], self.tenant)
        try:  # created first: a concurrent upsert may return None on SecantusDB
            counters.insert_one({"id": counter_id, "value": 0})
        except DuplicateKeyError:
            pass
        counter = counters.find_one_and_update({"id": counter_id}, {"$inc": {"value": count}},
                                               return_document=ReturnDocument.AFTER)
        return f"PA-{now.year}-{counter['value']:06d}"


@contextmanager
def _lost_race_reported(database: Database) -> Iterator[Any]:
    """A transaction in which a write conflict means someone else's step won."""
    try:
        with transaction(database) as session:
            yield session
    except OperationFailure as error:
        if not (error.code == WRITE_CONFLICT
                or error.has_error_label("TransientTransactionError")):
            raise
        raise TransitionNotAllowed("The application changed meanwhile.") from None


def _first_count_of_a_key(error: Exception) -> bool:
    """Two steps upserted the same new counter at once: the loser retries (it exists now)."""
    if isinstance(error, BulkWriteError):
        return any(write.get("code") == DUPLICATE_KEY
                   for write in (error.details or {}).get("writeErrors", []))
    return isinstance(error, OperationFailure) and error.code == DUPLICATE_KEY
