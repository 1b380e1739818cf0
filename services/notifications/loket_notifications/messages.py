# SPDX-License-Identifier: EUPL-1.2
"""Message records, their state history and the pure rules of moving between states.

A record is created in ``queued`` (or not at all: the kind is off), goes to ``sending``
when an instance claims it, then to ``accepted`` (a relay took it), ``temporary_failure``
(tried again after a growing pause), ``permanent_failure`` (the retry horizon passed, or the
address is wrong everywhere) or ``not_sent`` (no address, the resident chose post, no
consent). A relay's report later moves ``accepted`` to ``delivered`` or ``bounced``.
Nothing here touches the database: the functions return what to ``$set``.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from loket_common.key_vault import owner_of
from loket_contracts.notifications.schemas import MESSAGE_STATES

DUE = ("queued", "temporary_failure")
RESENDABLE = ("permanent_failure", "bounced")
REPORTABLE = ("sending", "accepted", "delivered", "temporary_failure")
STATUS_FIELDS = ("id", "tenant", "kind", "channel", "about", "state", "created_at",
                 "updated_at", "attempts", "next_try_at", "last_detail")


@dataclass(frozen=True)
class RetryPolicy:
    """Growing back-off: ``first`` seconds, doubled each try up to ``longest``, for ``hours``."""

    first: float = 60.0
    longest: float = 900.0
    hours: float = 4.0

    def pause(self, attempts: int) -> timedelta:
        """The wait after the ``attempts``-th failed try (1: ``first``)."""
        exponent = min(max(attempts - 1, 0), 32)
        return timedelta(seconds=min(self.first * 2 ** exponent, self.longest))

    def next_try(self, retry_from: datetime, attempts: int, now: datetime) -> datetime | None:
        """When to try again, or None once the horizon (``hours`` after ``retry_from``) passed.

        A failure before the horizon is always tried again, so a message is tried for at
        least ``hours``.
        """
        if now >= retry_from + timedelta(hours=self.hours):
            return None
        return now + self.pause(attempts)


def step(state: str, at: datetime, relay: str | None = None,
         detail: str | None = None) -> dict[str, Any]:
    """One entry of a message's history."""
    if state not in MESSAGE_STATES:
        raise ValueError(f"not a message state: {state}")
    return {"state": state, "at": at, "relay": relay, "detail": detail}


def new_message(tenant: str, kind: str, about: dict[str, str], event_id: str,
                subject: str | None, subject_index: str | None, facts: dict[str, Any],
                sealed_token: str | None, now: datetime,
                channel: str = "email") -> dict[str, Any]:
    """A ``queued`` record for one recipient of one kind about one thing.

    Its content will be sealed under ``subject``'s key (``key_owner``), else its own.
    """
    message_id = str(uuid.uuid4())
    return {"id": message_id, "tenant": tenant, "kind": kind, "channel": channel,
            "about": about, "subject_index": subject_index, "event_id": event_id,
            "key_owner": owner_of(subject, "message", message_id),
            "facts": facts, "sealed_token": sealed_token, "state": "queued",
            "history": [step("queued", now)], "attempts": 0, "next_try_at": now, "due_at": now,
            "retry_from": now, "lease_until": datetime.fromtimestamp(0, UTC),
            "created_at": now, "updated_at": now, "last_detail": None, "content": None,
            "content_kept_until": None, "subject_line": None, "language": None,
            "resolve_again": False}


def moved(state: str, now: datetime, relay: str | None = None, detail: str | None = None,
          **changes: Any) -> dict[str, Any]:
    """An update document: the new state, its history entry and ``changes``.

    ``due_at`` follows the state: the next try of a due state (queued, temporary failure),
    else None, so the dispatcher's claim is one range on one indexed field.
    """
    due = changes.get("next_try_at") if state in DUE else None
    return {"$set": {"state": state, "updated_at": now, "last_detail": detail, "due_at": due,
                     **changes},
            "$push": {"history": step(state, now, relay, detail)}}


def after_failure(message: dict[str, Any], policy: RetryPolicy, now: datetime,
                  relay: str | None, detail: str) -> dict[str, Any]:
    """A temporary failure: the next try by the back-off, or permanent past the horizon."""
    retry_from = as_utc(message.get("retry_from") or message["created_at"])
    next_try = policy.next_try(retry_from, int(message.get("attempts") or 1), now)
    if next_try is None:
        return moved("permanent_failure", now, relay, detail, next_try_at=None,
                     lease_until=datetime.fromtimestamp(0, UTC))
    return moved("temporary_failure", now, relay, detail, next_try_at=next_try,
                 lease_until=datetime.fromtimestamp(0, UTC))


def outcome_update(message: dict[str, Any], outcome: str, relay: str | None, detail: str,
                   policy: RetryPolicy, now: datetime) -> dict[str, Any]:
    """The update for a channel's :class:`SendResult` outcome."""
    if outcome == "accepted":
        return moved("accepted", now, relay, detail, next_try_at=None,
                     lease_until=datetime.fromtimestamp(0, UTC))
    if outcome == "permanent_failure":
        return moved("permanent_failure", now, relay, detail, next_try_at=None,
                     lease_until=datetime.fromtimestamp(0, UTC))
    return after_failure(message, policy, now, relay, detail)


def report_update(message: dict[str, Any], action: str, status: str,
                  now: datetime) -> dict[str, Any] | None:
    """The update for a relay's delivery report, or None when it changes nothing.

    ``failed`` with a permanent status (5.x.x) bounces; ``delivered`` (and ``relayed`` or
    ``expanded``: it left the relay for good) delivers; ``delayed`` (or a 4.x.x failure)
    only joins the history.
    """
    detail = status
    if action == "failed" and status.startswith("5."):
        return moved("bounced", now, None, detail, next_try_at=None)
    if action in ("delivered", "relayed", "expanded") and message["state"] != "bounced":
        return moved("delivered", now, None, detail)
    return {"$set": {"updated_at": now},
            "$push": {"history": step(message["state"], now, None, detail)}}


def as_utc(value: datetime) -> datetime:
    """``value`` with a time zone (a naive one is UTC)."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def status_of(message: dict[str, Any]) -> dict[str, Any]:
    """``MessageStatusSchema``: the record without content or anything personal."""
    return {key: message.get(key) for key in STATUS_FIELDS}


def shown(message: dict[str, Any]) -> dict[str, Any]:
    """``MessageSchema``: the status plus subject line, language and history."""
    return {**status_of(message), "language": message.get("language"),
            "subject_line": message.get("subject_line"),
            "content_kept_until": message.get("content_kept_until"),
            "history": [{key: entry.get(key) for key in ("state", "at", "relay", "detail")}
                        for entry in message.get("history") or []]}
