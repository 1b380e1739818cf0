# SPDX-License-Identifier: EUPL-1.2
"""Reading a tenant's applications (cases): the desk's collections and how cases are shown.

:class:`CaseRecords` is the base of :class:`loket_permits.cases.CaseDesk`; it opens the
sealed (encrypted) fields and adds what is computed (``overdue``, ``next_step``).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from pymongo import DESCENDING
from pymongo.database import Database

from loket_common.data_protection import access_event
from loket_common.errors import NotFound
from loket_common.key_vault import SubjectCipher
from loket_common.mongo import TenantCollection, transaction
from loket_common.outbox import add_to_outbox

from . import case_events, case_queue, workflow
from .case_crypto import CaseSeal
from .type_catalogue import TypeCatalogue

NO_ID = {"_id": 0}


def utcnow() -> datetime:
    """Now, in UTC, to the millisecond (what BSON keeps)."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def with_overdue(case: dict[str, Any], now: datetime,
                 appointment_service: str | None = None) -> dict[str, Any]:
    """The case with its computed ``overdue`` flag, ``next_step`` and ``appointment_service``."""
    due_at = case.get("due_at")
    overdue = bool(due_at and case["state"] in workflow.OPEN_STATES and due_at < now)
    return {**case, "overdue": overdue, "appointment_service": appointment_service,
            "next_step": workflow.next_step(case["state"], appointment_service)}


class CaseRecords:
    """The applications of one tenant as applicants and case workers may read them."""

    def __init__(self, database: Database, tenant: str, types: TypeCatalogue,
                 now: Callable[[], datetime] = utcnow, cipher: SubjectCipher | None = None) -> None:
        self.database = database
        self.tenant = tenant
        self.types = types
        self.now = now
        self.sealer = CaseSeal(cipher or SubjectCipher.over(database), tenant)
        self.cases = TenantCollection(database["applications"], tenant)
        self.files = TenantCollection(database["attachment_files"], tenant)
        self.counts = TenantCollection(database["queue_counts"], tenant)

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
        self.sealer.cipher.preload(self.tenant, [(item.get("applicant") or {}).get("name")
                                                 for item in result["items"]])
        result["items"] = [with_overdue(self.sealer.open(item), now)
                           for item in result["items"]]
        return result

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
