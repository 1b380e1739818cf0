# SPDX-License-Identifier: EUPL-1.2
"""The case workers' queue: filters, keyset paging by (due_at, id), its indexes and counters.

Every index starts with the tenant, then the equality filters, then the sort
keys, so a filtered page is one index range scan whatever the page number (no skip):
built for 100,000 applications in one tenant.

A page is read as a few growing ``due_at`` windows after the cursor, each a bounded
index range, because some servers (SecantusDB) read every match of a query before
applying its limit; the windows give the same rows as the plain query on any server.
``total`` comes from counters in ``queue_counts``, one per (tenant, type_id, state,
assigned_to), changed in the same transaction as every step that moves a case between
them; they also keep the least and greatest ``due_at`` ever counted (bounds for the
windows). Time-dependent (``overdue``) filters have no counter: ``total`` is an exact
count only when the counters show it is cheap (at most ``CHEAP_COUNT`` candidates),
else None.
"""
from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import ASCENDING, UpdateOne
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


COUNT_KEY = ("type_id", "state", "assigned_to")
CHEAP_COUNT = 1000  # an overdue filter with at most this many candidates is counted exactly
FIRST_WINDOW = timedelta(days=1)  # without counters to size it
LAST_WINDOW = timedelta(days=3660)  # a window this wide is the last: the rest, unbounded
LEAST_WINDOW = timedelta(minutes=1)


def ensure_queue_indexes(database: Database) -> None:
    """The queue's compound indexes (equality fields, then due_at and id) and counters."""
    for keys in INDEXES:
        database["applications"].create_index([(key, ASCENDING) for key in keys])
    database["queue_counts"].create_index(
        [("tenant", ASCENDING), *((key, ASCENDING) for key in COUNT_KEY)], unique=True)


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
    """The Mongo filter of a queue query, without the cursor (one query: the reference)."""
    found = _type_and_assignee(query)
    found["state"] = query["state"] if query.get("state") else {"$in": list(QUEUE_STATES)}
    found["due_at"] = {"$gte": EPOCH}  # drafts withdrawn before submission have none
    overdue = query.get("overdue")
    if overdue is True:
        found["due_at"]["$lt"] = now
        found["state"] = _narrowed(found["state"], OPEN_STATES)
    elif overdue is False:
        found["$or"] = [{"due_at": {"$gte": now}},
                        {"state": {"$nin": list(OPEN_STATES)}}]
    return found


def queue_filters(query: dict[str, Any], now: datetime) -> list[dict[str, Any]]:
    """The same query as :func:`queue_filter`, as one filter per state, without the cursor.

    Each is an equality on the state and a ``due_at`` range, so each is one range of an
    index on any server (SecantusDB reads every match of a ``$in`` or ``$or`` instead).
    """
    common = _type_and_assignee(query)
    overdue = query.get("overdue")
    filters = []
    for state in [query["state"]] if query.get("state") else QUEUE_STATES:
        due: dict[str, Any] = {"$gte": EPOCH}
        if state in OPEN_STATES and overdue is True:
            due["$lt"] = now
        elif state in OPEN_STATES and overdue is False:
            due["$gte"] = max(EPOCH, now)
        elif overdue is True:  # a closed case is never overdue
            continue
        filters.append({**common, "state": state, "due_at": due})
    return filters


def _type_and_assignee(query: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if query.get("type_id"):
        found["type_id"] = query["type_id"]
    assigned = query.get("assigned_to")
    if assigned:
        found["assigned_to"] = None if assigned == "nobody" else assigned
    return found


def _narrowed(state: Any, allowed: tuple[str, ...]) -> Any:
    if isinstance(state, str):
        return state if state in allowed else {"$in": []}
    return {"$in": [value for value in state["$in"] if value in allowed]}


# counters
def counted_key(case: dict[str, Any]) -> tuple[Any, ...] | None:
    """The counter a case is counted in, or None when it is not in the queue (drafts)."""
    if case.get("state") in QUEUE_STATES and case.get("due_at") is not None:
        return tuple(case.get(key) for key in COUNT_KEY)
    return None


def count_moves(before: dict[str, Any] | None,
                after: dict[str, Any] | None) -> dict[tuple[Any, ...], tuple[int, Any]]:
    """The counter changes (key -> (delta, due_at)) of a case going from ``before`` to ``after``."""
    moves: dict[tuple[Any, ...], tuple[int, Any]] = {}
    old = counted_key(before) if before else None
    new = counted_key(after) if after else None
    if old != new:
        if before and old is not None:
            moves[old] = (-1, before["due_at"])
        if after and new is not None:
            moves[new] = (1, after["due_at"])
    return moves


def apply_counts(database: Database, tenant: str,
                 moves: dict[tuple[Any, ...], tuple[int, Any]], session: Any = None) -> None:
    """``$inc`` the tenant's counters (upserted) by ``moves``; widen their due_at bounds."""
    writes = [_count_write(tenant, key, delta, due_at, due_at)
              for key, (delta, due_at) in sorted(moves.items(), key=lambda item: repr(item[0]))]
    if writes:
        TenantCollection(database["queue_counts"], tenant).bulk_write(writes, ordered=True,
                                                                      session=session)


def _count_write(tenant: str, key: tuple[Any, ...], delta: int, least: Any,
                 greatest: Any) -> UpdateOne:
    update: dict[str, Any] = {"$inc": {"count": delta}}
    if delta > 0:  # bounds only widen: a case leaving keeps them valid (if loose)
        update |= {"$min": {"min_due": least}, "$max": {"max_due": greatest}}
    return UpdateOne({"tenant": tenant, **dict(zip(COUNT_KEY, key, strict=True))}, update,
                     upsert=True)


def count_cases(cases: Iterable[dict[str, Any]]) -> dict[tuple[Any, ...], list[Any]]:
    """Counters recomputed from cases: key -> [count, least due_at, greatest due_at]."""
    counts: dict[tuple[Any, ...], list[Any]] = {}
    for case in cases:
        key = counted_key(case)
        if key is None:
            continue
        entry = counts.setdefault(key, [0, case["due_at"], case["due_at"]])
        entry[0] += 1
        entry[1] = min(entry[1], case["due_at"])
        entry[2] = max(entry[2], case["due_at"])
    return counts


def add_counts(database: Database, tenant: str,
               counts: dict[tuple[Any, ...], list[Any]]) -> None:
    """Add recomputed ``counts`` (of newly inserted cases) to the tenant's counters."""
    writes = [_count_write(tenant, key, count, least, greatest)
              for key, (count, least, greatest) in counts.items()]
    if writes:
        TenantCollection(database["queue_counts"], tenant).bulk_write(writes, ordered=False)


def rebuild_counts(database: Database, tenant: str) -> int:
    """Recompute the tenant's counters from its applications (migration, repair).

    Run it while no step writes to the tenant's cases (a step between the read and the
    write would be lost); returns how many counters were written.
    """
    counts = count_cases(database["applications"].find(
        {"tenant": tenant}, {"_id": 0, "state": 1, "due_at": 1, **dict.fromkeys(COUNT_KEY, 1)}))
    TenantCollection(database["queue_counts"], tenant).delete_many({})
    add_counts(database, tenant, counts)
    return len(counts)


def _count_filter(query: dict[str, Any]) -> dict[str, Any]:
    """The counters matching the type/state/assignee part of a queue query."""
    states = [query["state"]] if query.get("state") else list(QUEUE_STATES)
    if query.get("overdue") is True:
        states = [state for state in states if state in OPEN_STATES]
    return {**_type_and_assignee(query), "state": {"$in": states}}


# paging
def page(collection: TenantCollection, counts: TenantCollection, query: dict[str, Any],
         now: datetime, projection: dict[str, Any]) -> dict[str, Any]:
    """One page of the queue: ``items``, ``next`` cursor (or None), ``total`` matching.

    ``total`` is an int, or None for an ``overdue`` filter with more than
    ``CHEAP_COUNT`` candidates (see the module's doc).
    """
    filters = queue_filters(query, now)
    counters = list(counts.find(_count_filter(query), {"_id": 0}))
    candidates = sum(counter["count"] for counter in counters)
    least = min((counter["min_due"] for counter in counters if counter.get("min_due")),
                default=None)
    greatest = max((counter["max_due"] for counter in counters if counter.get("max_due")),
                   default=None)
    if query.get("overdue") is None:
        total: int | None = candidates
    else:
        total = (sum(collection.count(found) for found in filters)
                 if candidates <= CHEAP_COUNT else None)
    after = decode_cursor(query["after"]) if query.get("after") else None
    limit = query["limit"]
    items = windowed(collection, filters, after, limit + 1, projection,
                     _first_width(least, greatest, candidates, limit), least, greatest)
    more = len(items) > limit
    items = items[:limit]
    return {"items": items, "next": encode_cursor(items[-1]) if more else None, "total": total}


def _first_width(least: datetime | None, greatest: datetime | None, candidates: int,
                 limit: int) -> timedelta:
    """A window expected to hold about a page, if the cases spread evenly."""
    if least is None or greatest is None or candidates <= 0:
        return FIRST_WINDOW
    return max(LEAST_WINDOW, (greatest - least) * (limit + 1) / candidates * 1.5)


def windowed(collection: TenantCollection, filters: list[dict[str, Any]],
             after: tuple[datetime, str] | None, wanted: int, projection: dict[str, Any],
             width: timedelta, least: datetime | None,
             greatest: datetime | None) -> list[dict[str, Any]]:
    """The first ``wanted`` matches of any of ``filters`` after the cursor, by (due_at, id).

    They are read in consecutive ``due_at`` windows, each twice as wide as the one before;
    in each window every filter is one query, and their results are merged.

    The first window starts at the cursor (or at EPOCH, and ends ``width`` after ``least``,
    the least due_at of the matches if known); the last one is unbounded, so the result
    equals ``find({"$or": filters} + cursor, sort, limit=wanted)`` whatever ``width``, ``least`` and
    ``greatest`` are (they only make it fast). ``greatest`` (a due_at no match exceeds,
    or None) says when the next window may be the last.
    """
    items: list[dict[str, Any]] = []
    if not filters:
        return items
    start = after[0] if after else EPOCH
    end = (after[0] if after else least or EPOCH) + width
    first = True
    while True:
        last = (greatest is not None and end > greatest) or width >= LAST_WINDOW
        found: list[dict[str, Any]] = []
        for each in filters:
            for window in _windows(each, start, None if last else end,
                                   after if first else None):
                found += collection.find(window, projection, sort=SORT,
                                         limit=wanted - len(items))
        found.sort(key=lambda item: (item["due_at"], item["id"]))
        items += found[:wanted - len(items)]
        if len(items) >= wanted or last:
            return items
        start, first = end, False
        width *= 2
        end = start + width


def _windows(found: dict[str, Any], start: datetime, end: datetime | None,
             after: tuple[datetime, str] | None) -> list[dict[str, Any]]:
    """``found`` narrowed to ``start <= due_at < end``, or past the cursor ``after``.

    Past a cursor it is two filters without ``$or`` (which SecantusDB reads in full):
    the cursor's due_at with a greater id, and a greater due_at.
    """
    due = dict(found["due_at"])
    lower = due.pop("$gte")
    windows = []
    if after and after[0] >= lower:
        due["$gt"] = after[0]
        if "$lt" not in due or after[0] < due["$lt"]:
            windows.append({**found, "due_at": after[0], "id": {"$gt": after[1]}})
    else:
        due["$gte"] = max(lower, start)
    if end is not None:
        due["$lt"] = min(due["$lt"], end) if "$lt" in due else end
    return [*windows, {**found, "due_at": due}]
