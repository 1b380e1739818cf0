# SPDX-License-Identifier: EUPL-1.2
"""Sample data of every kind, in exactly the shape of ``contexts.py``: previews and tests.

Nothing here is a real person; the links point to the tenant's own site (``.example``).
"""
from __future__ import annotations

import copy
from typing import Any

from loket_contracts.notifications.schemas import KINDS

SAMPLE_TENANT: dict[str, Any] = {
    "id": "musterstadt",
    "name": {"de": "Stadt Musterstadt", "en": "Town of Musterstadt"},
    "contact": {"email": "buergerservice@musterstadt.example", "phone": "+49 30 1234567",
                "web": "https://www.musterstadt.example",
                "address": {"street": "Marktplatz 1", "postal_code": "12345",
                            "city": "Musterstadt"}},
    "public_url": "https://termine.musterstadt.example",
}
BASE_URL = "https://termine.musterstadt.example"

_OFFICE = {
    "id": "rathaus", "name": {"de": "Bürgerbüro im Rathaus", "en": "Citizens' office, town hall"},
    "address": {"street": "Marktplatz 1", "postal_code": "12345", "city": "Musterstadt"},
    "timezone": "Europe/Berlin", "time_zone": "Europe/Berlin",
    "accessibility": {"de": "Stufenloser Eingang am Marktplatz.",
                      "en": "Step-free entrance on the market square."},
}
_SERVICE = {
    "id": "id-card", "name": {"de": "Personalausweis beantragen", "en": "Apply for an ID card"},
    "duration_minutes": 15, "fee_cents": 3780,
    "required_documents": [{"de": "Ihr bisheriger Ausweis", "en": "Your current ID card"},
                           {"de": "Ein biometrisches Passfoto", "en": "A biometric photo"}],
}
_CONTACT = {"name": "Erika Mustermann", "email": "erika@example.org", "language": "de"}
_BOOKING = {
    "reference": "K7M2-Q9XP", "state": "booked",
    "start": "2026-12-01T09:15:00+01:00", "end": "2026-12-01T09:30:00+01:00",
    "language": "de", "tenant": "musterstadt", "office": _OFFICE, "service": _SERVICE,
    "contact": _CONTACT, "subject": "sub-sample-1", "cancelled_by": None,
    "cancellation_reason": None,
}
_ENTRY = {
    "reference": "LOS-4F7K-2MQA", "state": "pending", "reason": None, "day": "2026-12-14",
    "draw_at": "2026-12-07T18:00:00+01:00",
    "service": {"id": "id-card", "name": _SERVICE["name"]}, "office": _OFFICE,
    "contact": _CONTACT, "subject": "sub-sample-1", "booking": None,
}
_APPLICATION = {
    "id": "5d1f0c7e-3a52-4b8e-9f11-2c6a7d8e9b01", "reference": "PA-2026-000123",
    "type_id": "residents-parking",
    "type_name": {"de": "Bewohnerparkausweis", "en": "Residents' parking permit"},
    "state": "submitted", "applicant": {"subject": "sub-sample-1", "language": "de"},
    "fee_cents": 3050, "submitted_at": "2026-11-20T10:05:00+01:00",
    "due_at": "2026-12-04T23:59:00+01:00", "information_request": None, "decision": None,
    "next_step": {"de": "Sie erhalten den Ausweis per Post. Legen Sie ihn sichtbar hinter "
                        "die Windschutzscheibe.",
                  "en": "The permit comes by post. Display it behind the windscreen."},
    "assigned_to": None,
}
_INFORMATION_REQUEST = {
    "message": "Bitte reichen Sie den Fahrzeugschein nach; auf dem Foto ist das Kennzeichen "
               "nicht lesbar.",
    "fields": [{"name": "registration_certificate",
                "label": {"de": "Fahrzeugschein (Zulassungsbescheinigung Teil I)",
                          "en": "Vehicle registration certificate (part I)"}},
               {"name": "licence_plate", "label": {"de": "Kennzeichen",
                                                   "en": "Licence plate"}}],
    "answer_by": "2026-12-04",
}


def _links(language: str) -> dict[str, str]:
    return {
        "manage": f"{BASE_URL}/{language}/appointments/bookings/K7M2-Q9XP?token=sample-token",
        "entry_status": f"{BASE_URL}/{language}/appointments/lottery/LOS-4F7K-2MQA"
                        "?token=sample-token",
        "search": f"{BASE_URL}/{language}/appointments",
        "application": f"{BASE_URL}/{language}/permits/applications/{_APPLICATION['id']}",
        "case": f"{BASE_URL}/{language}/staff/cases/{_APPLICATION['id']}",
    }


def sample_context(kind: str, language: str, variant: str | None = None) -> dict[str, Any]:
    """The sample context of ``kind`` written in ``language``.

    ``variant``: ``office`` (booking_cancelled by the office, the default) or ``resident``;
    ``allocated`` (the lottery_result default) or ``not_allocated``; ``anonymous`` (no
    recipient name).
    """
    if kind not in KINDS:
        raise KeyError(kind)
    links = _links(language)
    recipient: dict[str, Any] | None = {"name": "Erika Mustermann"}
    if variant == "anonymous":
        recipient = None
    booking = {**copy.deepcopy(_BOOKING), "language": language,
               "contact": {**_CONTACT, "language": language}}
    entry = {**copy.deepcopy(_ENTRY), "contact": {**_CONTACT, "language": language}}
    application = {**copy.deepcopy(_APPLICATION),
                   "applicant": {"subject": "sub-sample-1", "language": language}}
    base: dict[str, Any] = {"recipient": recipient, "language": language}
    if kind in ("booking_confirmed", "booking_reminder"):
        return {**base, "booking": booking, "manage_url": links["manage"]}
    if kind == "booking_moved":
        return {**base, "booking": {**booking, "start": "2026-12-03T14:00:00+01:00",
                                    "end": "2026-12-03T14:15:00+01:00"},
                "manage_url": links["manage"], "previous_start": _BOOKING["start"]}
    if kind == "booking_cancelled":
        by = "resident" if variant == "resident" else "office"
        reason = None if by == "resident" else (
            "Das Bürgerbüro bleibt an diesem Tag wegen einer Störung geschlossen."
            if language == "de" else "The office is closed that day because of a fault.")
        return {**base, "booking": {**booking, "state": "cancelled", "cancelled_by": by,
                                    "cancellation_reason": reason},
                "manage_url": None, "cancelled_by": by, "search_url": links["search"]}
    if kind == "lottery_entered":
        return {**base, "entry": entry, "status_url": links["entry_status"],
                "manage_url": None, "search_url": None}
    if kind == "lottery_result":
        if variant == "not_allocated":
            return {**base, "entry": {**entry, "state": "not_allocated",
                                      "reason": "no_slot_left"},
                    "status_url": links["entry_status"], "manage_url": None,
                    "search_url": links["search"]}
        return {**base, "entry": {**entry, "state": "allocated",
                                  "booking": {**booking, "start": "2026-12-14T08:30:00+01:00",
                                              "end": "2026-12-14T08:45:00+01:00"}},
                "status_url": links["entry_status"], "manage_url": links["manage"],
                "search_url": None}
    permit = {**base, "application": application, "status_url": links["application"]}
    if kind == "permit_submitted":
        return permit
    if kind == "permit_information_requested":
        request = copy.deepcopy(_INFORMATION_REQUEST)
        if language != "de":
            request["message"] = ("Please send the vehicle registration certificate; the "
                                  "licence plate cannot be read on the photo.")
        application.update(state="information_requested", information_request=request)
        return permit
    if kind == "permit_status_changed":
        application["state"] = "in_review"
        return {**permit, "from": "submitted", "to": "in_review"}
    if kind == "permit_decided":
        reason = ("Alle Voraussetzungen sind erfüllt." if language == "de"
                  else "All requirements are met.")
        application.update(state="approved", decision={
            "outcome": "approved", "reason": reason, "decided_at": "2026-11-27T11:40:00+01:00"})
        return permit
    if kind == "erasure_completed":
        return {**base, "completed_at": "2026-11-30T16:20:00+01:00"}
    # case_assigned: a member of staff
    application.update(state="in_review", assigned_to="staff-sample-7")
    return {"recipient": {"name": "Max Beispiel"}, "language": language,
            "application": application, "case_url": links["case"]}
