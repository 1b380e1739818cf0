# SPDX-License-Identifier: EUPL-1.2
"""From an event to the messages it causes (pure), and to the links it keeps or drops.

Which event makes which kind follows the COMMON design's table: a lottery win's
``appointment_booked`` (it carries ``entry_reference``) is told by ``lottery_result``; a
permit status change to ``information_requested`` is its own kind, one to ``approved`` or
``rejected`` is told by ``permit_decided``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from loket_common.events import Event

STATUS_TOLD_ELSEWHERE = ("information_requested", "approved", "rejected")


@dataclass(frozen=True)
class Plan:
    """One message an event causes: its kind, what it is about, for whom."""

    kind: str
    about_kind: str
    about_id: str
    subject: str | None
    facts: dict[str, Any]
    sealed_token: str | None = None


@dataclass(frozen=True)
class LinkChange:
    """A sealed token to keep (``sealed_token`` set) or to drop."""

    kind: str
    reference: str
    subject: str | None
    sealed_token: str | None = None
    expires_at: datetime | None = None


@dataclass(frozen=True)
class Intake:
    """What one event causes."""

    plans: list[Plan] = field(default_factory=list)
    links: list[LinkChange] = field(default_factory=list)


def _at(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _booking_facts(data: dict[str, Any]) -> dict[str, Any]:
    return {key: data.get(key) for key in ("reference", "start", "end", "office_id",
                                           "service_id")}


def _appointments(event: Event) -> Intake:
    data, kind = event.data, event.type
    subject, reference = data.get("subject"), data.get("reference")
    if kind in ("appointment_lottery_entered", "appointment_lottery_result"):
        return _lottery(event)
    if not reference:
        return Intake()
    facts = _booking_facts(data)
    end = _at(data.get("end"))
    if kind == "appointment_booked":
        links = [LinkChange("booking", reference, subject, data["sealed_manage_token"], end)
                 ] if data.get("sealed_manage_token") else []
        if data.get("entry_reference"):  # a lottery win: lottery_result tells it
            return Intake([], links)
        return Intake([Plan("booking_confirmed", "booking", reference, subject, facts,
                            data.get("sealed_manage_token"))], links)
    if kind == "appointment_rescheduled":
        facts["previous_start"] = data.get("previous_start")
        # the same token; only its expiry follows the new end
        return Intake([Plan("booking_moved", "booking", reference, subject, facts)],
                      [LinkChange("booking", reference, subject, None, end)])
    if kind == "appointment_cancelled":
        facts["cancelled_by"] = data.get("cancelled_by")
        return Intake([Plan("booking_cancelled", "booking", reference, subject, facts)],
                      [LinkChange("booking", reference, subject)])
    if kind == "appointment_reminder_due":
        return Intake([Plan("booking_reminder", "booking", reference, subject, facts)])
    return Intake()


def _lottery(event: Event) -> Intake:
    data = event.data
    reference, subject = data.get("entry_reference"), data.get("subject")
    if not reference:
        return Intake()
    facts = {"entry_reference": reference, "day": data.get("day"),
             "service_id": data.get("service_id"), "office_id": data.get("office_id")}
    if event.type == "appointment_lottery_entered":
        links = []
        if data.get("sealed_status_token"):
            links.append(LinkChange("lottery_entry", reference, subject,
                                    data["sealed_status_token"], _day_over(data.get("day"))))
        return Intake([Plan("lottery_entered", "lottery_entry", reference, subject, facts,
                            data.get("sealed_status_token"))], links)
    booking = data.get("booking") or {}
    facts["result"] = data.get("result")
    token = booking.get("sealed_manage_token") if data.get("result") == "allocated" else None
    links = ([LinkChange("booking", booking["reference"], subject, token,
                         _at(booking.get("end")))]
             if token and booking.get("reference") else [])
    return Intake([Plan("lottery_result", "lottery_entry", reference, subject, facts, token)],
                  links)


def _day_over(day: Any) -> datetime | None:
    """The end of the day after ``day`` (an ISO date), when its lottery is surely drawn."""
    try:
        return datetime.combine(date.fromisoformat(str(day)) + timedelta(days=2), time.min, UTC)
    except ValueError:
        return None


def _permits(event: Event) -> Intake:
    data = event.data
    application_id = data.get("application_id")
    if not application_id:
        return Intake()
    subject = data.get("subject") or data.get("applicant_subject")
    facts = {"application_id": application_id, "reference": data.get("reference"),
             "type_id": data.get("type_id")}
    kind = {"permit_submitted": "permit_submitted", "permit_decided": "permit_decided",
            "permit_case_assigned": "case_assigned"}.get(event.type)
    if event.type == "permit_status_changed":
        before, after = data.get("from"), data.get("to")
        if after == "information_requested":
            kind = "permit_information_requested"
        elif before != after and after not in STATUS_TOLD_ELSEWHERE:
            kind = "permit_status_changed"
            facts.update({"from": before, "to": after})
    if kind == "case_assigned":
        if not data.get("assignee"):
            return Intake()
        facts.update(assignee=data["assignee"], by_role=data.get("by_role"))
    if kind is None:
        return Intake()
    return Intake([Plan(kind, "application", application_id, subject, facts)])


def _profile(event: Event) -> Intake:
    data = event.data
    if event.type != "erasure_finished" or not data.get("request_id"):
        return Intake()
    # The person is erased: no subject is kept, the contact travels sealed.
    return Intake([Plan("erasure_completed", "erasure", data["request_id"], None,
                        {"completed_at": event.occurred_at}, data.get("sealed_contact"))])


def intake_of(event: Event) -> Intake:
    """The messages and link changes ``event`` causes."""
    by_source = {"appointments": _appointments, "permits": _permits, "profile": _profile}
    handler = by_source.get(event.source)
    return handler(event) if handler else Intake()
