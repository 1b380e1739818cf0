# SPDX-License-Identifier: EUPL-1.2
"""The events of an application: ids, states, dates and the applicant's pseudonym."""
from __future__ import annotations

from typing import Any

from loket_common.events import Event

from .workflow import next_step

SOURCE = "permits"
# Cases created before channels were recorded came through Loket.
ONLINE = "online"


def _about(case: dict[str, Any], permit_type: dict[str, Any]) -> dict[str, Any]:
    """Ids, type, the applicant's pseudonym and language: never names or free texts.

    A notification asks the service for what it needs to say by the application id.
    """
    return {
        "application_id": case["id"],
        "reference": case["reference"],
        "type_id": case["type_id"],
        "type_name": permit_type["name"],
        "subject": case["applicant"]["subject"],
        "applicant_subject": case["applicant"]["subject"],
        "language": case["applicant"].get("language"),
        "channel": case.get("channel") or ONLINE,
    }


def started(case: dict[str, Any], permit_type: dict[str, Any]) -> Event:
    """``permit_started``: an application was created (a resident's draft, a counter entry)."""
    return Event(SOURCE, "permit_started", case["tenant"], {
        **_about(case, permit_type), "started_at": case["created_at"].isoformat()})


def status_changed(case: dict[str, Any], permit_type: dict[str, Any],
                   entry: dict[str, Any]) -> Event:
    """``permit_status_changed``: from, to, the step and the next step for the applicant."""
    return Event(SOURCE, "permit_status_changed", case["tenant"], {
        **_about(case, permit_type), "from": entry["from"], "to": entry["to"],
        "action": entry["action"], "by_role": entry["by"]["role"],
        "at": entry["at"].isoformat(),
        "next_step": next_step(entry["to"], permit_type["appointment_service"]),
        "information_request_fields": (case.get("information_request") or {}).get("fields")
        if entry["to"] == "information_requested" else None})


def submitted(case: dict[str, Any], permit_type: dict[str, Any]) -> Event:
    """``permit_submitted``: the fee and the date by which a decision is due."""
    return Event(SOURCE, "permit_submitted", case["tenant"], {
        **_about(case, permit_type), "fee_cents": case["fee_cents"],
        "submitted_at": case["submitted_at"].isoformat(), "due_at": case["due_at"].isoformat(),
        "appointment_service": permit_type["appointment_service"],
        "next_step": next_step("submitted", permit_type["appointment_service"])})


def decided(case: dict[str, Any], permit_type: dict[str, Any]) -> Event:
    """``permit_decided``: the outcome (its reason stays in the service, encrypted)."""
    return Event(SOURCE, "permit_decided", case["tenant"], {
        **_about(case, permit_type), "outcome": case["decision"]["outcome"],
        "decided_at": case["decided_at"].isoformat(),
        "submitted_at": case["submitted_at"].isoformat() if case.get("submitted_at") else None,
        "fee_cents": case["fee_cents"], "next_step": next_step(case["state"])})


def case_assigned(case: dict[str, Any], permit_type: dict[str, Any], assignee: str,
                  by_role: str) -> Event:
    """``permit_case_assigned``: whom the case went to (``subject``: for erasure scrubbing)."""
    return Event(SOURCE, "permit_case_assigned", case["tenant"], {
        "application_id": case["id"], "reference": case["reference"],
        "type_id": case["type_id"], "type_name": permit_type["name"], "assignee": assignee,
        "by_role": by_role, "subject": case["applicant"]["subject"],
        "channel": case.get("channel") or ONLINE})
