# SPDX-License-Identifier: EUPL-1.2
"""A resident's applications for the GDPR: the export and the erasure.

Erasure keeps decided cases for the legal retention, anonymised: type, state, dates,
fees and the decision's outcome; the applicant's name, subject, answers, reasons and
files go. Drafts are deleted; open cases are withdrawn first (history action
``erasure``), so the case workers' queue counters stay exact. The applicant's data key is
destroyed, so what a copy (oplog, backup) still holds no longer opens; what is kept is in
clear and needs no key.
"""
from __future__ import annotations

import base64
from typing import Any

from loket_common.data_protection import forget_outbox_entries
from loket_contracts.permits.applications import ApplicationSchema

from . import case_queue, workflow
from .cases import CaseDesk

ERASED_APPLICANT = {"subject": None, "name": None, "language": None}
SYSTEM = {"subject": "system", "role": "system"}


class ResidentData:
    """What permits holds about one resident of one tenant."""

    def __init__(self, desk: CaseDesk) -> None:
        self.desk = desk
        self.database = desk.database
        self.tenant = desk.tenant

    def export(self, subject: str) -> dict[str, Any]:
        """Every application of ``subject``, decrypted, with history and files (base64)."""
        applications = []
        for stored in self.desk.cases.find({"applicant.subject": subject}, {"_id": 0},
                                           sort=[("created_at", -1)]):
            case = ApplicationSchema().dump(self.desk.view(stored))
            files = {item["id"]: item for item in self.desk.files.find(
                {"application_id": stored["id"]})}
            for attachment in case["attachments"]:
                stored_file = files.get(attachment["id"])
                attachment["content_base64"] = base64.b64encode(
                    self.desk.sealer.open_content(stored_file["content"])).decode() \
                    if stored_file else None
            applications.append(case)
        return {"service": "permits", "subject": subject, "applications": applications}

    def erase(self, subject: str, session: Any) -> tuple[int, int]:
        """Delete drafts, withdraw open cases, anonymise the rest; (deleted, anonymised)."""
        deleted = anonymised = 0
        now = self.desk.now()
        for case in list(self.desk.cases.find({"applicant.subject": subject}, session=session)):
            self.desk.files.delete_many({"application_id": case["id"]}, session=session)
            if case["state"] == "draft":
                self.desk.cases.delete_many({"id": case["id"]}, session=session)
                deleted += 1
                continue
            history = [_anonymous_entry(entry) for entry in case.get("history", [])]
            state = case["state"]
            if state in workflow.OPEN_STATES:
                history.append({"at": now, "by": SYSTEM, "from": state, "to": "withdrawn",
                                "reason": None, "action": "erasure"})
                case_queue.apply_counts(self.database, self.tenant, case_queue.count_moves(
                    case, {**case, "state": "withdrawn"}), session)
                state = "withdrawn"
            decision = case.get("decision")
            self.desk.cases.update_one({"id": case["id"]}, {"$set": {
                "state": state, "applicant": ERASED_APPLICANT, "data": {},
                "on_behalf_of": None, "applicant_contact": None,
                "information_request": None, "attachments": [],
                "history": history, "anonymised": True,
                "decision": {"outcome": decision["outcome"], "reason": None}
                if decision else None}}, session=session)
            anonymised += 1
        forget_outbox_entries(self.database, self.tenant, subject, session,
                              paths=("subject", "applicant_subject"))
        self.desk.sealer.cipher.destroy(self.tenant, [subject], session)  # shreds every copy
        return deleted, anonymised


def _anonymous_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """A history entry without its reason, and without the applicant's subject."""
    by = entry.get("by") or {}
    if by.get("role") == "applicant":
        by = {"subject": None, "role": "applicant"}
    return {**entry, "by": by, "reason": None}
