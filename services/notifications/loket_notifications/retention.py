# SPDX-License-Identifier: EUPL-1.2
"""The retention timer: old contents and the links of appointments that are over go.

Contents past ``NOTIFICATIONS_CONTENT_RETENTION_DAYS`` and expired links are deleted once
per interval across all instances (a lease).

Nameko's ``@timer`` takes its interval at import, so it is read here from
``NOTIFICATIONS_TIMER_SECONDS`` (declared in :mod:`.settings`).
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from nameko.timer import timer
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from loket_common.logs import get_logger
from loket_common.mongo import AllTenants

from .dependencies import NotificationsStore
from .links import drop_expired_links
from .message_store import EPOCH, MessageStore
from .settings import TimerSettings

TIMER_SECONDS = TimerSettings().timer_seconds
LEASES = "leases"
log = get_logger(__name__)


def take_lease(database: Database, name: str, seconds: float,
               now: datetime | None = None) -> bool:
    """True when this caller holds lease ``name`` for the next ``seconds``; else False."""
    now = now or datetime.now(UTC)
    leases = AllTenants(database[LEASES])  # a lease is the deployment's, not a tenant's
    try:  # created first: an upserting conditional update may not say that it applied
        leases.insert_one({"_id": name, "until": EPOCH})
    except DuplicateKeyError:
        pass
    won = leases.update_one({"_id": name, "until": {"$lte": now}},
                            {"$set": {"until": now + timedelta(seconds=seconds)}})
    return bool(won.modified_count)


def run_retention(database: Database, now: datetime | None = None) -> tuple[int, int]:
    """Delete old contents and expired links; (contents, links) deleted."""
    now = now or datetime.now(UTC)
    return MessageStore.drop_old_content(database, now), drop_expired_links(database, now)


class RetentionMixin:
    """Adds ``expire``, the retention timer."""

    store: NotificationsStore

    @timer(interval=TIMER_SECONDS)
    def expire(self) -> None:
        """Delete what is past its keeping time, in one instance per interval."""
        if not take_lease(self.store.database, "retention", TIMER_SECONDS * 0.9):
            return
        contents, links = run_retention(self.store.database)
        if contents or links:
            log.info("retention", contents_deleted=contents, links_deleted=links)
