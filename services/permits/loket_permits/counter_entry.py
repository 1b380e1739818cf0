# SPDX-License-Identifier: EUPL-1.2
"""Applications entered at the counter by staff for a resident: submitted at once, channel counter.

The answers are checked exactly as a resident's submission (same field rules, same
required documents rule); a required document counts as present when staff confirm they
saw it at the counter (``documents_seen``, said in the history). The resident may have no
Loket account, so the case gets a pseudonymous subject of its own: its data is sealed
under that subject's key, it shows in nobody's own list, and no resident's erasure reaches
it (it is erased as a case, by its subject, like any other).
"""
from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from . import case_events
from .applicant_steps import ApplicantSteps
from .fees import fee_cents

COUNTER = "counter"
SUBJECT_PREFIX = "counter:"
ENTERED = "entered_at_counter"


def counter_subject() -> str:
    """A fresh pseudonymous subject for a resident met at the counter."""
    return f"{SUBJECT_PREFIX}{uuid.uuid4().hex}"


def entry_note(role: str, documents: list[str]) -> str:
    """The history's words for a counter entry (who, and which documents were seen)."""
    note = f"Entered at the counter by {role}."
    if documents:
        note += f" Documents seen at the counter: {', '.join(documents)}."
    return note


class CounterEntry(ApplicantSteps):
    """Staff's entry of a paper or in-person application (the gateway checked the role)."""

    def enter_at_counter(self, entry: dict[str, Any], actor: dict[str, Any]) -> dict[str, Any]:
        """Validate as a submission, store it submitted; permit_started and permit_submitted."""
        permit_type = self.types.get(self.tenant, entry["type_id"])
        required = [doc["id"] for doc in permit_type["documents"] if doc["required"]]
        seen = required if entry["documents_seen"] else []
        data = self._complete(permit_type, set(seen), entry["data"])
        person = entry["applicant"]
        applicant = {"subject": counter_subject(), "name": person["name"],
                     "language": person.get("language")}
        case = self._new_case(permit_type, applicant, data, entry["on_behalf_of"], COUNTER)
        now = case["created_at"]
        history = {"at": now, "by": {"subject": actor["subject"], "role": actor["role"]},
                   "from": None, "to": "submitted", "reason": entry_note(actor["role"], seen),
                   "action": ENTERED}
        case.update({
            "state": "submitted", "submitted_at": now,
            "due_at": now + timedelta(days=permit_type["processing_days"]),
            "fee_cents": fee_cents(permit_type["fee"], data), "history": [history],
            "documents_seen": bool(seen),
            "applicant_contact": {key: person.get(key) for key in ("address", "email", "phone")}})
        self._insert_new(case, permit_type, [case_events.started, case_events.submitted])
        return self.case(case["id"])


