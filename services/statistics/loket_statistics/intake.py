# SPDX-License-Identifier: EUPL-1.2
"""Which facts an event counts as (pure): measure, process, channel, month, lead days.

One rule per counted event (the table of issue 14). The month is ``month_of`` the time the
fact happened: a booking in the month it was made (the event's ``occurred_at``), a decision
in the month it was decided (``data.decided_at`` when given). A missing or unknown channel
counts as ``online`` (cases and bookings from before channels were recorded); an event
without its process id, or with an outcome or result that is not counted, gives no fact.
Nothing of a person, a case or a booking leaves this module: only the reduced fact.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from marshmallow import ValidationError

from loket_common.events import Event
from loket_contracts.statistics.measures import (
    CHANNEL,
    COUNTER,
    LEAD_TIME,
    ONLINE,
    PROCESS_KEY,
    appointment_process,
    month_of,
    permit_process,
)

DAY_SECONDS = 86400.0
DECIDED = {"approved": "applications_approved", "rejected": "applications_rejected"}


@dataclass(frozen=True)
class Fact:
    """One counted fact (``lead_days`` only for ``lead_time`` facts)."""

    measure: str
    process: str
    channel: str
    month: str
    lead_days: float | None = None


def channel_of(data: dict[str, Any], default: str = ONLINE) -> str:
    """The event's channel; a missing or unknown one is ``default``."""
    value = data.get("channel")
    return value if isinstance(value, str) and value in CHANNEL.choices else default


def fits(validator: Callable[[Any], Any], value: Any) -> bool:
    """True when the marshmallow ``validator`` accepts ``value``."""
    try:
        validator(value)
    except ValidationError:
        return False
    return True


def is_process(key: str) -> bool:
    """True for a well-formed process key."""
    return fits(PROCESS_KEY, key)


def _is_instant(value: Any) -> bool:
    try:
        datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def lead_days(submitted_at: Any, decided_at: Any) -> float | None:
    """Days from submission to decision (None when a time is missing, unreadable or reversed)."""
    try:
        start, end = datetime.fromisoformat(submitted_at), datetime.fromisoformat(decided_at)
        days = (end - start).total_seconds() / DAY_SECONDS
    except (TypeError, ValueError):
        return None
    return round(days, 4) if days >= 0 else None


def _appointment(event: Event, measure: str, channel: str | None = None) -> list[Fact]:
    service_id = event.data.get("service_id")
    if not isinstance(service_id, str):
        return []
    return [Fact(measure, appointment_process(service_id), channel or channel_of(event.data),
                 month_of(event.occurred_at))]


def _booked(event: Event) -> list[Fact]:
    facts = _appointment(event, "appointments_booked")
    return facts + [Fact("walk_ins", fact.process, fact.channel, fact.month)
                    for fact in facts if fact.channel == COUNTER]


def _lottery_result(event: Event) -> list[Fact]:
    if event.data.get("result") != "allocated":
        return []
    return _appointment(event, "lottery_allocations")


def _permit(event: Event, measure: str, when: str | None = None) -> list[Fact]:
    type_id = event.data.get("type_id")
    if not isinstance(type_id, str):
        return []
    return [Fact(measure, permit_process(type_id), channel_of(event.data),
                 month_of(when or event.occurred_at))]


def _withdrawn(event: Event) -> list[Fact]:
    return _permit(event, "applications_withdrawn") if event.data.get("to") == "withdrawn" else []


def _decided(event: Event) -> list[Fact]:
    measure = DECIDED.get(str(event.data.get("outcome")))
    if measure is None:
        return []
    decided_at = event.data.get("decided_at")
    facts = _permit(event, measure, decided_at if _is_instant(decided_at) else None)
    days = lead_days(event.data.get("submitted_at"), decided_at)
    if facts and days is not None:
        facts.append(Fact(LEAD_TIME, facts[0].process, facts[0].channel, facts[0].month, days))
    return facts


def _notification(event: Event, measure: str) -> list[Fact]:
    kind, channel = event.data.get("kind"), event.data.get("channel")
    process = f"notifications:{kind}"
    if not isinstance(kind, str) or not is_process(process) or channel not in CHANNEL.choices:
        return []
    return [Fact(measure, process, str(channel), month_of(event.occurred_at))]


RULES: dict[tuple[str, str], Callable[[Event], list[Fact]]] = {
    ("appointments", "appointment_booked"): _booked,
    ("appointments", "appointment_cancelled"):
        lambda event: _appointment(event, "appointments_cancelled"),
    ("appointments", "appointment_checked_in"):
        lambda event: _appointment(event, "appointments_checked_in"),
    ("appointments", "appointment_no_show"):
        lambda event: _appointment(event, "appointments_no_show"),
    ("appointments", "appointment_lottery_entered"):
        lambda event: _appointment(event, "lottery_entries", ONLINE),
    ("appointments", "appointment_lottery_result"): _lottery_result,
    ("permits", "permit_started"): lambda event: _permit(event, "applications_started"),
    ("permits", "permit_submitted"): lambda event: _permit(event, "applications_submitted"),
    ("permits", "permit_status_changed"): _withdrawn,
    ("permits", "permit_decided"): _decided,
    ("notifications", "notification_sent"):
        lambda event: _notification(event, "notifications_sent"),
    ("notifications", "notification_failed"):
        lambda event: _notification(event, "notifications_failed"),
}


def facts_of(event: Event) -> list[Fact]:
    """The facts ``event`` counts as (none for an event statistics does not count)."""
    rule = RULES.get((event.source, event.type))
    facts = rule(event) if rule else []
    return [fact for fact in facts if is_process(fact.process)]
