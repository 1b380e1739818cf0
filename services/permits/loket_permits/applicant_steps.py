# SPDX-License-Identifier: EUPL-1.2
"""The applicant's side of a case: draft, change, submit, answer a request, withdraw."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from loket_common.errors import ValidationFailed
from loket_common.mongo import TenantCollection

from . import case_events, workflow
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
        now = self.now()
        case = {"id": str(uuid.uuid4()), "reference": self._reference(now), "tenant": self.tenant,
                "type_id": type_id, "state": "draft", "data": checked, "attachments": [],
                "fee_cents": fee_cents(permit_type["fee"], checked),
                "on_behalf_of": on_behalf_of, "applicant": applicant, "assigned_to": None,
                "created_at": now, "submitted_at": None, "due_at": None, "decided_at": None,
                "decision": None, "information_request": None, "history": []}
        self.cases.insert_one(self.sealer.seal(case, self.sealer.owner(case)))
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
