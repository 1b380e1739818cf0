# SPDX-License-Identifier: EUPL-1.2
"""The case workers' queue: filters, keyset paging by (due_at, id), and its indexes.

Every index starts with the tenant, then the equality filters, then the sort
keys, so a filtered page is one index range scan of ``limit`` entries whatever
the page number (no skip): built for 100,000 applications in one tenant.
"""
from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.database import Database

from loket_common.errors import ValidationFailed
from loket_common.mongo import TenantCollection

from .workflow import OPEN_STATES

QUEUE_STATES = ("submitted", "in_review", "information_requested", "approved", "rejected",
                "withdrawn")
EPOCH = datetime.fromtimestamp(0, UTC)
SORT = [("due_at", ASCENDING), ("id", ASCENDING)]
INDEXES = (
    ("tenant", "type_id", "state", "due_at", "id"),
    ("tenant", "state", "due_at", "id"),
    ("tenant", "assigned_to", "state", "due_at", "id"),
    ("tenant", "due_at", "id"),
)


def ensure_queue_indexes(database: Database) -> None:
    """The queue's compound indexes (equality fields, then due_at and id)."""
    for keys in INDEXES:
        database["applications"].create_index([(key, ASCENDING) for key in keys])


def encode_cursor(item: dict[str, Any]) -> str:
    """An opaque cursor after ``item`` (its due_at and id)."""
    raw = json.dumps({"d": item["due_at"].isoformat(), "i": item["id"]})
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    """The (due_at, id) a cursor points after; ValidationFailed if it is not ours."""
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        due_at = datetime.fromisoformat(raw["d"])
        return (due_at if due_at.tzinfo else due_at.replace(tzinfo=UTC)), str(raw["i"])
    except (ValueError, KeyError, TypeError):
        raise ValidationFailed("The cursor is invalid.", invalid_params=[
            {"name": "after", "reason": "Not a cursor of this queue."}]) from None


def queue_filter(query: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The Mongo filter of a queue query, without the cursor."""
    found: dict[str, Any] = {}
    if query.get("type_id"):
        found["type_id"] = query["type_id"]
    found["state"] = query["state"] if query.get("state") else {"$in": list(QUEUE_STATES)}
    assigned = query.get("assigned_to")
    if assigned:
        found["assigned_to"] = None if assigned == "nobody" else assigned
    found["due_at"] = {"$gte": EPOCH}  # drafts withdrawn before submission have none
    overdue = query.get("overdue")
    if overdue is True:
        found["due_at"]["$lt"] = now
        found["state"] = _narrowed(found["state"], OPEN_STATES)
    elif overdue is False:
        found["$or"] = [{"due_at": {"$gte": now}},
                        {"state": {"$nin": list(OPEN_STATES)}}]
    return found


def _narrowed(state: Any, allowed: tuple[str, ...]) -> Any:
    if isinstance(state, str):
        return state if state in allowed else {"$in": []}
    return {"$in": [value for value in state["$in"] if value in allowed]}


def page(collection: TenantCollection, query: dict[str, Any], now: datetime,
         projection: dict[str, Any]) -> dict[str, Any]:
    """One page of the queue: ``items``, ``next`` cursor (or None), ``total`` matching."""
    found = queue_filter(query, now)
    total = collection.count(found)
    if query.get("after"):
        after_due, after_id = decode_cursor(query["after"])
        found = {"$and": [found, {"$or": [{"due_at": {"$gt": after_due}},
                                          {"due_at": after_due, "id": {"$gt": after_id}}]}]}
    limit = query["limit"]
    items = list(collection.find(found, projection, sort=SORT, limit=limit + 1))
    more = len(items) > limit
    items = items[:limit]
    return {"items": items, "next": encode_cursor(items[-1]) if more else None, "total": total}
