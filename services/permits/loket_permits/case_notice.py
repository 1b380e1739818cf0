# SPDX-License-Identifier: EUPL-1.2
"""What a notification says about an application (``application_for_notification``).

The notifications service asks at send time; it gets the case's state, dates, the
information request with the labels of the fields it names, the decision with its reason,
and the next step, never the form answers or the applicant's name (the address and name
come from profile). Reading it is a machine's read for the applicant, not a staff access:
no ``personal_data_accessed`` is reported.
"""
from __future__ import annotations

from typing import Any

from loket_contracts.permits.applications import ApplicationNoticeSchema

from .workflow import next_step

notice_out = ApplicationNoticeSchema()


def field_labels(permit_type: dict[str, Any], names: list[str]) -> list[dict[str, Any]]:
    """``[{name, label{de,en}}]`` of form fields and ``documents.<id>``; the name if unknown."""
    labels = {field["name"]: field.get("label") for field in permit_type.get("fields", [])}
    labels.update({f"documents.{document['id']}": document.get("label")
                   for document in permit_type.get("documents", [])})
    return [{"name": name, "label": labels.get(name) or {"de": name, "en": name}}
            for name in names]


def notice(case: dict[str, Any], permit_type: dict[str, Any] | None) -> dict[str, Any]:
    """The notification's view of a (decrypted) case; ``permit_type`` None once dropped."""
    permit_type = permit_type or {}
    request = case.get("information_request")
    decision = case.get("decision")
    applicant = case.get("applicant") or {}
    return notice_out.dump({
        **case,
        "type_name": permit_type.get("name"),
        "applicant": {"subject": applicant.get("subject"),
                      "language": applicant.get("language")},
        "information_request": None if not request else {
            "message": request.get("message"),
            "fields": field_labels(permit_type, list(request.get("fields") or [])),
            "answer_by": request.get("answer_by")},
        "decision": None if not decision else {**decision,
                                               "decided_at": case.get("decided_at")},
        "next_step": case.get("next_step") or next_step(
            case["state"], permit_type.get("appointment_service")),
    })
