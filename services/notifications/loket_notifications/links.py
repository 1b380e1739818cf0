# SPDX-License-Identifier: EUPL-1.2
"""Links in messages: the manage and status URLs, and the sealed tokens kept for them.

The manage token of a booking arrives once, sealed, in ``appointment_booked``; the reminder
days later needs it again, so it is kept (collection ``links``, still sealed: only this
service opens it) until the appointment is over, cancelled or its owner erased. A lottery
entry's status token is kept likewise until its day has passed. URLs start with the
tenant's public URL and lead to the gateway's pages in the message's language.
"""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode

from pymongo import ASCENDING
from pymongo.client_session import ClientSession
from pymongo.database import Database

from loket_common.logs import get_logger
from loket_common.mongo import AllTenants, TenantCollection
from loket_common.sealing import Unopenable, open_sealed

LINKS = "links"
log = get_logger(__name__)


class Links:
    """One tenant's kept tokens."""

    def __init__(self, database: Database, tenant: str) -> None:
        self.links = TenantCollection(database[LINKS], tenant)

    def keep(self, kind: str, reference: str, sealed_token: str, subject_index: str | None,
             expires_at: datetime, session: ClientSession | None = None) -> None:
        """Keep the sealed token of a booking (``kind`` booking) or lottery entry."""
        self.links.update_one({"kind": kind, "reference": reference}, {"$set": {
            "sealed_token": sealed_token, "subject_index": subject_index,
            "expires_at": expires_at}}, upsert=True, session=session)

    def sealed_token(self, kind: str, reference: str | None) -> str | None:
        """The kept sealed token, or None."""
        if not reference:
            return None
        found = self.links.find_one({"kind": kind, "reference": reference})
        return found["sealed_token"] if found else None

    def forget(self, kind: str, reference: str, session: ClientSession | None = None) -> int:
        """Drop the token (a cancelled booking)."""
        return self.links.delete_many({"kind": kind, "reference": reference},
                                      session=session).deleted_count

    def erase(self, subject_index: str, session: ClientSession) -> int:
        """Drop every token of the resident."""
        return self.links.delete_many({"subject_index": subject_index},
                                      session=session).deleted_count


def drop_expired_links(database: Database, now: datetime | None = None) -> int:
    """Delete the tokens of appointments that are over, in every tenant."""
    return AllTenants(database[LINKS]).delete_many(  # expiry spans the tenants
        {"expires_at": {"$lt": now or datetime.now(UTC)}}).deleted_count


def ensure_link_indexes(database: Database) -> None:
    """One token per tenant, kind and reference; erasure and expiry look-ups."""
    links = database[LINKS]
    links.create_index([("tenant", ASCENDING), ("kind", ASCENDING), ("reference", ASCENDING)],
                       unique=True)
    links.create_index([("tenant", ASCENDING), ("subject_index", ASCENDING)])
    links.create_index([("expires_at", ASCENDING)])


def opened(private_key: str, sealed: str | None) -> str | None:
    """The token a sealed box holds, or None (none given, or not for this key)."""
    if not sealed:
        return None
    try:
        return open_sealed(private_key, sealed)
    except Unopenable:
        log.warning("sealed token not opened: not for this key")
        return None


def _url(tenant: dict[str, Any], path: str, **query: str) -> str:
    tail = f"?{urlencode(query)}" if query else ""
    return f"{tenant['public_url']}{path}{tail}"


def manage_url(tenant: dict[str, Any], language: str, reference: str | None,
               token: str | None) -> str | None:
    """The booking's manage page (move, cancel, calendar file), or None without a token."""
    if not token or not reference:
        return None
    return _url(tenant, f"/{language}/appointments/bookings/{quote(reference)}", token=token)


def lottery_status_url(tenant: dict[str, Any], language: str, reference: str | None,
                       token: str | None) -> str | None:
    """The lottery entry's status page, or None without a token."""
    if not token or not reference:
        return None
    return _url(tenant, f"/{language}/appointments/lottery/{quote(reference)}", token=token)


def search_url(tenant: dict[str, Any], language: str) -> str:
    """Where to look for other appointments."""
    return _url(tenant, f"/{language}/appointments")


def application_url(tenant: dict[str, Any], language: str, application_id: str) -> str:
    """The application's page for its applicant (signed in)."""
    return _url(tenant, f"/{language}/permits/applications/{quote(application_id)}")


def case_url(tenant: dict[str, Any], language: str, application_id: str) -> str:
    """The case's page for staff."""
    return _url(tenant, f"/{language}/staff/cases/{quote(application_id)}")
