# SPDX-License-Identifier: EUPL-1.2
"""The case workers' side of a case: assign it, and review, ask, approve or reject."""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from loket_common.errors import NotFound, ValidationFailed
from loket_common.events import Event
from loket_common.outbox import add_to_outbox
from loket_contracts.permits.schemas import ANSWER_DAYS

from . import case_events, case_queue
from .case_steps import CaseSteps
from .exceptions import TransitionNotAllowed


class CaseWork(CaseSteps):
    """Steps by staff (the gateway checked the role); each is recorded in the history."""

    def assign(self, application_id: str, assignee: str | None,
               actor: dict[str, Any]) -> dict[str, Any]:
        """Assign a case to a case worker (None: unassign); recorded in the history.

        A new assignee is told by ``permit_case_assigned`` (not on unassign or the same one).
        """
        case = self.case(application_id)
        told = assignee is not None and assignee != case.get("assigned_to")
        permit_type = self._type_or_bare(case["type_id"]) if told else None
        entry = {"at": self.now(), "by": actor, "from": case["state"], "to": case["state"],
                 "reason": f"assigned to {assignee or 'nobody'}", "action": "assigned"}
        moves = case_queue.count_moves(case, {**case, "assigned_to": assignee})

        def step(session: Any) -> None:
            changed = self.cases.update_one({"id": application_id, "state": case["state"]},
                                            {"$set": {"assigned_to": assignee},
                                             "$push": {"history": self.sealer.entry(
                                                 entry, self.sealer.owner(case))}},
                                            session=session)
            if changed.matched_count != 1:
                raise TransitionNotAllowed("The application changed meanwhile.")
            case_queue.apply_counts(self.database, self.tenant, moves, session)
            if permit_type is not None and assignee is not None:
                add_to_outbox(self.database, case_events.case_assigned(
                    case, permit_type, assignee, actor["role"]), session)

        self._counted_step(step)
        return self.case(application_id)

    def transition(self, application_id: str, to_state: str, reason: str | None,
                   actor: dict[str, Any],
                   information_request: dict[str, Any] | None) -> dict[str, Any]:
        """A case worker's step: review, ask for information, approve or reject."""
        case = self.case(application_id)
        permit_type = self.types.get(self.tenant, case["type_id"])
        changes: dict[str, Any] = {}
        events: list[Callable[..., Event]] = []
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
            changes["information_request"] = self._with_answer_by(information_request)
        if to_state in ("approved", "rejected"):
            if not reason:
                raise ValidationFailed("A decision needs a reason.", invalid_params=[
                    {"name": "reason", "reason": "Required for a decision."}])
            changes["decision"] = {"outcome": to_state, "reason": reason}
            changes["decided_at"] = self.now()
            events.append(case_events.decided)
        return self._step_to(case, permit_type, to_state, reason, actor, changes, events)

    def _with_answer_by(self, request: dict[str, Any]) -> dict[str, Any]:
        """The request with its ``answer_by`` day (ISO): checked, or 14 days from today."""
        today = self.now().date()
        answer_by = request.get("answer_by") or today + timedelta(days=ANSWER_DAYS)
        if answer_by < today:
            raise ValidationFailed("The answer date is in the past.", invalid_params=[
                {"name": "information_request.answer_by",
                 "reason": "Must be today or later."}])
        return {**request, "answer_by": answer_by.isoformat()}

    def _type_or_bare(self, type_id: str) -> dict[str, Any]:
        """The case's type, or a stand-in without a name once the tenant dropped it."""
        try:
            return self.types.get(self.tenant, type_id)
        except NotFound:
            return {"id": type_id, "name": None}
