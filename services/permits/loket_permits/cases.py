# SPDX-License-Identifier: EUPL-1.2
"""Applications (cases) of one tenant: :class:`CaseDesk`, composed by job, and its indexes.

- :mod:`case_records`: reading cases (own, any, the queue) and how they are shown;
- :mod:`case_steps`: how a step moves a case (conditional update, history, events);
- :mod:`applicant_steps`: drafts, submission, answering a request, withdrawal;
- :mod:`counter_entry`: applications staff enter at the counter for a resident;
- :mod:`case_work`: the case workers' assignment and workflow steps;
- :mod:`case_attachments`: the files of a case.
"""
from __future__ import annotations

from pymongo import ASCENDING, DESCENDING
from pymongo.database import Database

from . import case_queue
from .applicant_steps import ApplicantSteps
from .case_attachments import CaseAttachments
from .case_records import utcnow, with_overdue
from .case_work import CaseWork
from .counter_entry import CounterEntry

__all__ = ["CaseDesk", "ensure_case_indexes", "utcnow", "with_overdue"]


class CaseDesk(CounterEntry, ApplicantSteps, CaseWork, CaseAttachments):
    """The applications of one tenant, for applicants and case workers."""


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
