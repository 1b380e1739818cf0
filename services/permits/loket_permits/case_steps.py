# SPDX-License-Identifier: EUPL-1.2
"""How a case moves: one conditional update, its history entry and events in one transaction.

Every step updates ``{"id", "state": from}`` and ``$push``es one entry to the append-only
``history``, in the same transaction as its outbox events and the queue counters: of two
concurrent steps exactly one wins, the other gets :class:`TransitionNotAllowed`.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pymongo.errors import BulkWriteError, OperationFailure

from loket_common.events import Event
from loket_common.mongo import is_transient, retried_transaction
from loket_common.outbox import add_to_outbox

from . import case_events, case_queue, workflow
from .case_records import CaseRecords
from .exceptions import TransitionNotAllowed

COUNTED_STEP_ATTEMPTS = 10
DUPLICATE_KEY = 11000


class CaseSteps(CaseRecords):
    """The step machinery the applicant's and the case workers' steps share."""

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
        owner = self.sealer.owner(case)

        def step(session: Any) -> None:
            changed = self.cases.update_one(
                {"id": case["id"], "state": case["state"]},
                {"$set": {**self.sealer.seal(changes, owner), "state": to_state},
                 "$push": {"history": self.sealer.entry(entry, owner)}},
                session=session)
            if changed.matched_count != 1:
                raise TransitionNotAllowed("The application changed meanwhile.",
                                           state=case["state"], to=to_state)
            case_queue.apply_counts(self.database, self.tenant, moves, session)
            makers: list[Callable[..., Event]] = [*events, case_events.status_changed]
            for make in makers:
                event = (make(moved, permit_type, entry) if make is case_events.status_changed
                         else make(moved, permit_type))
                add_to_outbox(self.database, event, session)

        self._counted_step(step)
        return self.case(case["id"])

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


def _first_count_of_a_key(error: Exception) -> bool:
    """Two steps upserted the same new counter at once: the loser retries (it exists now)."""
    if isinstance(error, BulkWriteError):
        return any(write.get("code") == DUPLICATE_KEY
                   for write in (error.details or {}).get("writeErrors", []))
    return isinstance(error, OperationFailure) and error.code == DUPLICATE_KEY
