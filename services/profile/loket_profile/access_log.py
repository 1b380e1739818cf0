# SPDX-License-Identifier: EUPL-1.2
"""The access log: which staff member read a resident's data, when, where and why.

Entries come from ``staff_view_profile`` here and from other services'
``personal_data_accessed`` events. Time, service and the actor's role stay in clear; the
actor's name and subject, the purpose and the record reference are encrypted (``details``)
under the resident's key.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.client_session import ClientSession
from pymongo.database import Database

from loket_common.events import Event
from loket_common.handlers import handle_once
from loket_common.key_vault import SubjectCipher
from loket_common.mongo import TenantCollection
from loket_common.validation import load

from . import clock
from .schemas import AccessEventSchema


class AccessLog:
    """The ``access_log`` collection behind domain verbs."""

    def __init__(self, database: Database, cipher: SubjectCipher) -> None:
        self.database = database
        self.cipher = cipher

    def ensure_indexes(self) -> None:
        """A subject's entries, newest first."""
        self.database["access_log"].create_index(
            [("tenant", ASCENDING), ("subject", ASCENDING), ("at", DESCENDING)])

    def _collection(self, tenant: str) -> TenantCollection:
        return TenantCollection(self.database["access_log"], tenant)

    def record(self, tenant: str, subject: str, actor: dict[str, str], purpose: str,
               service: str, record: str | None, at: datetime | None = None,
               session: ClientSession | None = None) -> None:
        """Log that ``actor`` read ``subject``'s ``record`` in ``service`` for ``purpose``."""
        details = {"actor_name": actor["name"], "actor_subject": actor["subject"],
                   "purpose": purpose, "record": record}
        self._collection(tenant).insert_one({
            "subject": subject, "at": at or clock.now(), "service": service,
            "actor_role": actor["role"], "details": self.cipher.encrypt(tenant, subject, details),
        }, session=session)

    def record_reported(self, event: Event, known: Callable[[str, str], bool]) -> bool:
        """Log a ``personal_data_accessed`` event of another service, once per event.

        Only for subjects ``known(tenant, subject)`` (with a profile): a report arriving
        after the person was erased must not write their subject back.
        """
        data = load(AccessEventSchema(), event.data)

        def apply(session: ClientSession) -> None:
            if known(event.tenant, data["subject"]):
                self.record(event.tenant, data["subject"], data["actor"], data["purpose"],
                            data["service"], data["record"], at=data["at"], session=session)

        return handle_once(self.database, event, "record_access", apply)

    def list(self, tenant: str, subject: str) -> list[dict[str, Any]]:
        """``[{at, actor_name, actor_role, purpose, service, record}]``, newest first."""
        entries = []
        for document in self._collection(tenant).find({"subject": subject},
                                                      sort=[("at", DESCENDING)]):
            details = self.cipher.decrypt(tenant, document["details"])
            entries.append({"at": document["at"].isoformat(), "actor_name": details["actor_name"],
                            "actor_role": document["actor_role"], "purpose": details["purpose"],
                            "service": document["service"], "record": details["record"]})
        return entries

    def erase(self, tenant: str, subject: str, session: ClientSession) -> int:
        """Delete the subject's entries (erasure); how many."""
        return self._collection(tenant).delete_many({"subject": subject},
                                                    session=session).deleted_count
