# SPDX-License-Identifier: EUPL-1.2
"""The applicant's side of a case: draft, change, submit, answer a request, withdraw."""
from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from loket_common.errors import ValidationFailed
from loket_common.events import Event
from loket_common.mongo import TenantCollection
from loket_common.outbox import add_to_outbox

from . import case_events, case_queue, workflow
from .case_events import ONLINE
from .case_records import with_overdue
from .case_steps import CaseSteps
from .exceptions import DraftIncomplete, TransitionNotAllowed
from .fees import fee_cents
from .form_schema import checked_data


class ApplicantSteps(CaseSteps):
    """A draft is checked for types only; submitting checks it in full, with its documents."""

    def create(self, applicant: dict[str, Any], type_id: str, data: dict[str, Any],
               on_behalf_of: dict[str, Any] | None) -> dict[str, Any]:
        """A new draft; ``data`` is checked for types only."""
        permit_type = self.types.get(self.tenant, type_id)
        checked = checked_data(permit_type, data, "draft")
        case = self._new_case(permit_type, applicant, checked, on_behalf_of, ONLINE)
        self._insert_new(case, permit_type, [case_events.started])
        return with_overdue(case, case["created_at"], permit_type["appointment_service"])

    def _new_case(self, permit_type: dict[str, Any], applicant: dict[str, Any],
                  data: dict[str, Any], on_behalf_of: dict[str, Any] | None,
                  channel: str) -> dict[str, Any]:
        """A new draft of ``permit_type`` (not stored yet), with its reference."""
        now = self.now()
        return {"id": str(uuid.uuid4()), "reference": self._reference(now),
                "tenant": self.tenant, "type_id": permit_type["id"], "state": "draft",
                "channel": channel, "data": data, "attachments": [],
                "fee_cents": fee_cents(permit_type["fee"], data),
                "on_behalf_of": on_behalf_of, "applicant": applicant, "assigned_to": None,
                "created_at": now, "submitted_at": None, "due_at": None, "decided_at": None,
                "decision": None, "information_request": None, "history": []}

    def _insert_new(self, case: dict[str, Any], permit_type: dict[str, Any],
                    events: list[Callable[..., Event]]) -> None:
        """Store a new case with its events (and queue counts) in one transaction."""
        moves = case_queue.count_moves(None, case)

        def insert(session: Any) -> None:
            self.cases.insert_one(self.sealer.seal(case, self.sealer.owner(case)),
                                  session=session)
            case_queue.apply_counts(self.database, self.tenant, moves, session)
            for make in events:
                add_to_outbox(self.database, make(case, permit_type), session)

        self._counted_step(insert)

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
            {"$set": {"data": self.sealer.seal({"data": merged}, self.sealer.owner(case))["data"],
                      "fee_cents": fee_cents(permit_type["fee"], merged)}})
        if changed.matched_count != 1:
            raise TransitionNotAllowed("The application changed meanwhile.")
        return self.own(subject, application_id)

    def submit(self, subject: str, application_id: str) -> dict[str, Any]:
        """Full validation, fee, due date; ``draft`` -> ``submitted``; event permit_submitted."""
        case = self.own(subject, application_id)
        permit_type = self.types.get(self.tenant, case["type_id"])
        workflow.check(permit_type["workflow"], case["state"], "submitted", "applicant")
        data = self._complete(permit_type, _attached(case), case["data"])
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
        merged = self._complete(permit_type, _attached(case), {
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

    def _complete(self, permit_type: dict[str, Any], present: set[str],
                  data: dict[str, Any]) -> dict[str, Any]:
        """``data`` checked in submit mode, plus required documents; names all that is missing.

        ``present``: the ids of the documents the application has (or that were seen).
        """
        missing = [{"name": f"documents.{doc['id']}", "reason": "This document is required."}
                   for doc in permit_type["documents"]
                   if doc["required"] and doc["id"] not in present]
        try:
            checked = checked_data(permit_type, data, "submit")
        except ValidationFailed as error:
            missing = error.extra["invalid_params"] + missing
        if missing:
            raise DraftIncomplete("The application is incomplete.", invalid_params=missing)
        return checked

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
        assert counter is not None, "the counter was inserted above and is never deleted"
        return f"PA-{now.year}-{counter['value']:06d}"


def _attached(case: dict[str, Any]) -> set[str]:
    """The ids of the documents a case has files for."""
    return {item["document_id"] for item in case["attachments"]}
