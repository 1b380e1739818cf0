# SPDX-License-Identifier: EUPL-1.2
"""The application state machine of a type, and what each state means for the applicant."""
from __future__ import annotations

from typing import Any

from .exceptions import TransitionNotAllowed

OPEN_STATES = ("submitted", "in_review", "information_requested")
EDITABLE_STATES = ("draft", "information_requested")
STAFF_ROLES = ("case_worker", "tenant_admin")

NEXT_STEP = {
    "draft": {"de": "Vervollständigen Sie den Antrag und senden Sie ihn ab.",
              "en": "Complete the application and submit it."},
    "submitted": {"de": "Ihr Antrag ist eingegangen und wird bald bearbeitet.",
                  "en": "We have received your application and will review it soon."},
    "in_review": {"de": "Ihr Antrag wird geprüft.",
                  "en": "Your application is being reviewed."},
    "information_requested": {
        "de": "Wir brauchen weitere Angaben von Ihnen. Bitte ergänzen Sie den Antrag.",
        "en": "We need more information from you. Please complete the application."},
    "approved": {"de": "Ihr Antrag wurde genehmigt.", "en": "Your application was approved."},
    "rejected": {"de": "Ihr Antrag wurde abgelehnt. Die Begründung steht im Bescheid.",
                 "en": "Your application was rejected. The decision gives the reasons."},
    "withdrawn": {"de": "Sie haben den Antrag zurückgezogen.",
                  "en": "You withdrew the application."},
}


def role_of(who: str) -> str:
    """The workflow role of an actor role (tenant admins act as case workers)."""
    return "case_worker" if who in STAFF_ROLES else who


def allows(workflow: dict[str, Any], from_state: str, to_state: str, role: str) -> bool:
    """True if ``role`` may move an application of this workflow from one state to another."""
    return any(step["from"] == from_state and step["to"] == to_state
               and step["by"] == role_of(role) for step in workflow["transitions"])


def check(workflow: dict[str, Any], from_state: str, to_state: str, role: str) -> None:
    """Raise TransitionNotAllowed unless :func:`allows`."""
    if not allows(workflow, from_state, to_state, role):
        raise TransitionNotAllowed(f"An application in state {from_state} cannot be moved to "
                                   f"{to_state} by {role_of(role)}.",
                                   state=from_state, to=to_state)


BOOK_APPOINTMENT = {
    "de": "Buchen Sie jetzt einen Termin im Bürgerbüro; der Antrag wird dort persönlich "
          "gestellt.",
    "en": "Now book an appointment at the citizens' office; you apply there in person.",
}


def next_step(state: str, appointment_service: str | None = None) -> dict[str, str]:
    """Plain-language what happens next, in German and English.

    For types that need an appointment (``appointment_service``), a submitted
    application tells the applicant to book one.
    """
    if appointment_service and state == "submitted":
        return {lang: f"{NEXT_STEP[state][lang]} {BOOK_APPOINTMENT[lang]}"
                for lang in ("de", "en")}
    return NEXT_STEP[state]
