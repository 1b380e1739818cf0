# SPDX-License-Identifier: EUPL-1.2
"""The facts the statistics count of a message: sent once, failed once.

``notification_sent``: the first time a message is ``accepted`` (a relay took it) or
``delivered`` (a report came first); ``notification_failed``: the first time it ends in
``permanent_failure`` or ``bounced``. A message tells each at most once (its record keeps
``told.<fact>``): a report after acceptance, a resend that fails again or a repeated report
tells nothing new. The event names the kind, the delivery channel, the state and the
message's random id, never an address, a subject line or a resident.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from loket_common.events import Event

SOURCE = "notifications"
SENT = "notification_sent"
FAILED = "notification_failed"
FACT_OF_STATE = {"accepted": SENT, "delivered": SENT,
                 "permanent_failure": FAILED, "bounced": FAILED}


def fact_of(state: str | None) -> str | None:
    """The fact a message moving into ``state`` tells (None: none)."""
    return FACT_OF_STATE.get(state or "")


def told_field(fact: str) -> str:
    """The record's field that says ``fact`` was told."""
    return f"told.{fact}"


def already_told(message: dict[str, Any], fact: str) -> bool:
    """True when ``message`` (as it was before the change) told ``fact`` already."""
    return bool((message.get("told") or {}).get(fact))


def fact_event(message: dict[str, Any], fact: str, state: str, at: datetime) -> Event:
    """The event of ``fact`` about ``message``, which moved into ``state`` at ``at``."""
    return Event(source=SOURCE, type=fact, tenant=message["tenant"],
                 occurred_at=at.isoformat(),
                 data={"kind": message["kind"], "channel": message.get("channel") or "email",
                       "state": state})
