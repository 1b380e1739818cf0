# SPDX-License-Identifier: EUPL-1.2
"""GDPR events shared by the services that hold a resident's data (issue 5).

- ``personal_data_accessed``: a member of staff read a resident's personal data; the
  profile service keeps it for the resident's access log.
- ``erasure_completed``: a service finished a ``profile.erasure_requested``.

Both go through the service's outbox. :func:`forget_outbox_entries` removes a subject's
old events from the outbox collection, since published entries stay in the database.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from pymongo.client_session import ClientSession
from pymongo.database import Database

from .errors import ValidationFailed
from .events import Event
from .handlers import handle_once
from .mongo import TenantCollection
from .outbox import OUTBOX, add_to_outbox

SUBJECT_PATTERN = re.compile(r"^r-[0-9a-f]{32}$")
ACCESS_EVENT = "personal_data_accessed"
ERASURE_REQUESTED = "erasure_requested"
ERASURE_COMPLETED = "erasure_completed"


def is_resident_subject(value: Any) -> bool:
    """True for Loket's pseudonymous resident id (``r-`` and 32 hex characters)."""
    return isinstance(value, str) and bool(SUBJECT_PATTERN.match(value))


def checked_subject(value: Any, name: str = "subject") -> str:
    """``value`` if it is a resident subject, else :class:`ValidationFailed`."""
    if not is_resident_subject(value):
        raise ValidationFailed("Malformed subject.", invalid_params=[
            {"name": name, "reason": "Not a resident subject (r- and 32 hex digits)."}])
    return value


def staff_actor(actor: dict[str, Any]) -> dict[str, Any]:
    """The actor as the access log shows it: subject, name (if known) and role."""
    return {"subject": actor.get("subject"), "name": actor.get("name"),
            "role": actor.get("role")}


def access_event(source: str, tenant: str, subject: str, actor: dict[str, Any],
                 purpose: str, record: str | None, at: datetime | None = None) -> Event:
    """``<source>.personal_data_accessed``: ``actor`` read ``subject``'s data in ``record``."""
    return Event(source=source, type=ACCESS_EVENT, tenant=tenant, data={
        "subject": subject, "actor": staff_actor(actor), "purpose": purpose,
        "service": source, "record": record,
        "at": (at or datetime.now(UTC)).isoformat()})


def erasure_completed_event(source: str, tenant: str, request_id: str, deleted: int,
                            anonymised: int) -> Event:
    """``<source>.erasure_completed``: what the service deleted and anonymised."""
    return Event(source=source, type=ERASURE_COMPLETED, tenant=tenant, data={
        "request_id": request_id, "service": source, "deleted": deleted,
        "anonymised": anonymised})


def forget_outbox_entries(database: Database, tenant: str, subject: str,
                          session: ClientSession, paths: tuple[str, ...] = ("subject",)) -> int:
    """Delete the tenant's outbox entries whose data names ``subject`` (at any of ``paths``).

    Published entries are only history; a pending one is about a person who asked to be
    forgotten, so it is not sent either.
    """
    query = {"$or": [{f"message.data.{path}": subject} for path in paths]}
    return TenantCollection(database[OUTBOX], tenant).delete_many(
        query, session=session).deleted_count


def erase_once(database: Database, event: Event, source: str,
               erase: Callable[[str, ClientSession], tuple[int, int]]) -> bool:
    """Handle ``profile.erasure_requested`` once, with ``erasure_completed`` in its transaction.

    ``erase(subject, session)`` deletes or anonymises and returns how many of each.
    """
    def apply(session: ClientSession) -> None:
        deleted, anonymised = erase(event.data["subject"], session)
        add_to_outbox(database, erasure_completed_event(
            source, event.tenant, event.data["request_id"], deleted, anonymised), session)
    return handle_once(database, event, "erase_subject", apply)
