# SPDX-License-Identifier: EUPL-1.2
"""What the services answer over RPC, for the gateway's fakes: each checked against the contract.

Every answer goes through :func:`loket_contracts.fakes.shaped`, so a fake cannot answer
something the real service would never send (a missing required field, an unknown one).
Each is a function, so every test gets fresh dicts (routes may add to an answer).
"""
from __future__ import annotations

import base64
from typing import Any

from loket_contracts.appointments.catalogue import OfficeWithServicesSchema
from loket_contracts.appointments.lottery import EnteredSchema
from loket_contracts.appointments.schemas import (
    BookingDetailsSchema,
    BookingSchema,
    ConfirmedSchema,
    DayListEntrySchema,
)
from loket_contracts.fakes import shaped
from loket_contracts.notifications.schemas import (
    CaseMessagesSchema,
    FailedPageSchema,
    KindSchema,
    MessageSchema,
    MessageStatusSchema,
    PreviewSchema,
    StateCountsSchema,
)
from loket_contracts.permits.applications import (
    ApplicationSchema,
    ApplicationSummarySchema,
    AttachmentSchema,
    CasePageSchema,
    FileSchema,
)
from loket_contracts.permits.catalogue import TypeSchema, TypeSummarySchema
from loket_contracts.permits.counter import CounterReceiptSchema
from loket_contracts.profile.rights import AccessLogEntrySchema, ConsentSchema, ErasureSchema
from loket_contracts.profile.schemas import BusinessSchema, ProfileSchema

AT = "2026-11-23T10:00:00+00:00"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def text(de: str, en: str | None = None) -> dict[str, str]:
    """A ``TextSchema`` value."""
    return {"de": de, "en": en or de}


# -- profile ---------------------------------------------------------------------------------
def profile(subject: str = "s-anna", **changes: Any) -> dict[str, Any]:
    """``ProfileSchema``: Anna's profile (``changes`` replace fields)."""
    return shaped(ProfileSchema, {
        "subject": subject, "given_name": "Anna", "family_name": "Schmidt", "address": None,
        "email": "anna.schmidt@example.org", "phone": None, "preferred_language": "de",
        "notification_channel": "email", "trust_level": "substantial", "created_at": AT,
        "updated_at": AT, "last_sign_in_at": AT, "version": 1, **changes})


def business(business_id: str = "b1", subject: str = "s-anna",
             **changes: Any) -> dict[str, Any]:
    """``BusinessSchema``: a business ``subject`` represents (``changes`` replace fields)."""
    return shaped(BusinessSchema, {
        "id": business_id, "company_name": "Schmidt GmbH", "legal_form": "GmbH",
        "register_number": None, "address": None, "email": None, "representatives": [subject],
        "created_at": AT, "updated_at": AT, "version": 1, **changes})


def consent(given: bool = True) -> dict[str, Any]:
    """``ConsentSchema``: the newsletter consent, given or withdrawn."""
    return shaped(ConsentSchema, {
        "purpose": "newsletter", "title_de": "Newsletter", "title_en": "Newsletter",
        "text_de": "", "text_en": "", "given": given, "given_at": "2026-11-23T10:00:00",
        "withdrawn_at": None if given else "2026-11-24T10:00:00"})


def access_log() -> list[dict[str, Any]]:
    """``AccessLogEntrySchema`` (many): one read by a case worker."""
    return shaped(AccessLogEntrySchema(many=True), [{
        "at": AT, "actor_name": "Sam Staff", "actor_role": "case_worker",
        "purpose": "Checking the application", "service": "permits", "record": "a1"}])


def erasure(state: str = "in_progress") -> dict[str, Any]:
    """``ErasureSchema``: an erasure request in ``state``."""
    done = state == "completed"
    part = {"state": "done" if done else "pending", "at": AT if done else None}
    return shaped(ErasureSchema, {
        "id": "e1", "state": state, "requested_at": AT, "completed_at": AT if done else None,
        "services": {name: part for name in ("profile", "appointments", "permits")}})


# -- appointments ----------------------------------------------------------------------------
def booking(reference: str = "ABCD-EFGH") -> dict[str, Any]:
    """``BookingSchema``: a booked appointment."""
    return shaped(BookingSchema, {
        "reference": reference, "state": "booked", "service_id": "passport",
        "office_id": "rathaus", "counter_id": "a", "start": "2026-12-01T09:00:00+01:00",
        "end": "2026-12-01T09:15:00+01:00", "expires_at": None, "language": "de"})


def booking_details(reference: str = "ABCD-EFGH", **changes: Any) -> dict[str, Any]:
    """``BookingDetailsSchema``: the booking with its office and service (the manage page)."""
    return shaped(BookingDetailsSchema, {
        **booking(reference), "tenant": "musterstadt", "identity_required": None,
        "office": {"id": "rathaus", "name": text("Rathaus", "Town hall"),
                   "address": {"street": "Marktplatz 1", "postal_code": "12345",
                               "city": "Musterstadt"},
                   "accessibility": text("Stufenlos", "Step-free"),
                   "timezone": "Europe/Berlin"},
        "service": {"id": "passport", "name": text("Reisepass", "Passport"),
                    "duration_minutes": 15, "fee_cents": 3700, "required_documents": [],
                    "identity_required": None}, **changes})


def offices() -> list[dict[str, Any]]:
    """``OfficeWithServicesSchema`` (many): the town hall with one counter and the passport."""
    return shaped(OfficeWithServicesSchema(many=True), [{
        "id": "rathaus", "name": text("Rathaus", "Town hall"),
        "address": {"street": "Marktplatz 1", "postal_code": "12345", "city": "Musterstadt"},
        "accessibility": text("Stufenlos", "Step-free"), "timezone": "Europe/Berlin",
        "service_ids": ["passport"],
        "counters": [{"id": "a", "name": text("Schalter A", "Counter A"),
                      "service_ids": ["passport"]}],
        "services": [{"id": "passport", "name": text("Reisepass", "Passport"),
                      "description": text("Beantragen", "Apply"), "duration_minutes": 15,
                      "fee_cents": 3700}]}])


def day_list() -> list[dict[str, Any]]:
    """``DayListEntrySchema`` (many): one booked appointment."""
    return shaped(DayListEntrySchema(many=True), [{**booking(), "name": "Anna Schmidt",
                                                   "walk_in": False}])


def confirmed() -> dict[str, Any]:
    """``ConfirmedSchema``: a hold confirmed as a booking."""
    return shaped(ConfirmedSchema, {"booking": booking(), "manage_token": "secret"})


def entered() -> dict[str, Any]:
    """``EnteredSchema``: an accepted lottery entry."""
    return shaped(EnteredSchema, {
        "entry": {"reference": "LOTT-ERY1", "state": "pending", "service_id": "passport",
                  "day": "2026-12-01", "office_id": None,
                  "draw_at": "2026-11-28T18:00:00+01:00", "language": "de", "reason": None,
                  "booking": None},
        "status_token": "secret"})


# -- permits ---------------------------------------------------------------------------------
def permit_type_summary(type_id: str = "residents-parking", **changes: Any) -> dict[str, Any]:
    """``TypeSummarySchema``: a permit type as listed."""
    return shaped(TypeSummarySchema, {
        "id": type_id, "name": text("Bewohnerparkausweis", "Residents' parking permit"),
        "description": text("Parken im Quartier.", "Parking in your quarter."),
        "processing_days": 10, "fee_cents": 3000, "fee_description": None,
        "needs_appointment": None, "for_businesses": False, "minimum_trust_level": "low",
        "fields": [{"name": "licence_plate", "type": "text", "required": True,
                    "label": text("Kennzeichen", "Licence plate"),
                    "why": text("Für den Ausweis.", "For the permit.")}],
        "documents": [{"id": "vehicle_registration", "label": text("Fahrzeugschein"),
                       "required": True, "max_bytes": 5_000_000,
                       "content_types": ["image/png", "application/pdf"]}], **changes})


def permit_type(type_id: str = "residents-parking", **changes: Any) -> dict[str, Any]:
    """``TypeSchema``: a permit type with its fee rules, workflow and contact."""
    return shaped(TypeSchema, {
        **permit_type_summary(type_id), "fee": {"base_cents": 3000},
        "workflow": {"states": ["draft", "submitted", "approved"],
                     "transitions": [{"from": "draft", "to": "submitted", "by": "applicant"}]},
        "contact": None, "appointment_service": None, **changes})


def application(applicant: dict[str, str], application_id: str = "a1",
                **changes: Any) -> dict[str, Any]:
    """``ApplicationSchema``: ``applicant``'s draft of a residents' parking permit."""
    return shaped(ApplicationSchema, {
        "id": application_id, "reference": "BP-2026-0001", "type_id": "residents-parking",
        "state": "draft", "fee_cents": None, "on_behalf_of": None, "created_at": AT,
        "submitted_at": None, "due_at": None, "overdue": False, "decided_at": None,
        "decision": None, "next_step": None, "appointment_service": None, "channel": "online",
        "tenant": "musterstadt", "data": {"licence_plate": "M-AB 123"}, "attachments": [],
        "applicant": applicant, "assigned_to": None, "information_request": None,
        "history": [{"at": AT, "by": {"subject": applicant["subject"], "role": "applicant"},
                     "from": None, "to": "draft", "reason": None, "action": "draft"}],
        **changes})


def counter_receipt(**changes: Any) -> dict[str, Any]:
    """``CounterReceiptSchema``: an application entered at the counter, submitted."""
    return shaped(CounterReceiptSchema, {
        "id": "a9", "reference": "PA-2026-000042", "type_id": "residents-parking",
        "state": "submitted", "channel": "counter", "fee_cents": 3000, "submitted_at": AT,
        "due_at": "2026-12-03T10:00:00+00:00", "documents_seen": True,
        "next_step": text("Ihr Antrag ist eingegangen.", "We have received your application."),
        "appointment_service": None, **changes})


def application_summaries(application_id: str = "a1") -> list[dict[str, Any]]:
    """``ApplicationSummarySchema`` (many): the applicant's own list."""
    return shaped(ApplicationSummarySchema(many=True), [{
        "id": application_id, "reference": "BP-2026-0001", "type_id": "residents-parking",
        "state": "draft", "fee_cents": None, "on_behalf_of": None, "created_at": AT,
        "submitted_at": None, "due_at": None, "overdue": False, "decided_at": None,
        "decision": None, "next_step": None, "appointment_service": None,
        "channel": "online"}])


def attachment() -> dict[str, Any]:
    """``AttachmentSchema``: an uploaded PNG's metadata."""
    return shaped(AttachmentSchema, {
        "id": "t1", "document_id": "vehicle_registration", "filename": "car.png",
        "content_type": "image/png", "size": len(PNG), "uploaded_at": AT})


def stored_file() -> dict[str, Any]:
    """``FileSchema``: the PNG's content, with a file name that needs quoting."""
    return shaped(FileSchema, {"filename": "plan \"1\".png", "content_type": "image/png",
                               "content_base64": base64.b64encode(PNG).decode()})


def case_page() -> dict[str, Any]:
    """``CasePageSchema``: one submitted case, no further page."""
    return shaped(CasePageSchema, {"items": [{
        "id": "a1", "reference": "BP-2026-0001", "type_id": "residents-parking",
        "state": "submitted", "for_company": False, "submitted_at": AT,
        "due_at": "2026-12-07T10:00:00+00:00", "overdue": False, "assigned_to": None}],
        "next": None, "total": 1})


# -- notifications ---------------------------------------------------------------------------
def message_status(message_id: str = "m1", state: str = "delivered",
                   **changes: Any) -> dict[str, Any]:
    """``MessageStatusSchema``: a booking confirmation in ``state``, no content."""
    return shaped(MessageStatusSchema, {
        "id": message_id, "tenant": "musterstadt", "kind": "booking_confirmed",
        "channel": "email", "about": {"kind": "booking", "id": "ABCD-EFGH"}, "state": state,
        "created_at": AT, "updated_at": "2026-11-23T10:01:00+00:00", "attempts": 1,
        "next_try_at": None, "last_detail": "250", **changes})


def message(message_id: str = "m1", state: str = "delivered",
            **changes: Any) -> dict[str, Any]:
    """``MessageSchema``: the message with its subject line and history."""
    return shaped(MessageSchema, {
        **message_status(message_id, state), "language": "de",
        "subject_line": "Ihr Termin am 1. Dezember", "content_kept_until": None,
        "history": [{"state": "queued", "at": AT, "relay": None, "detail": None},
                    {"state": state, "at": "2026-11-23T10:01:00+00:00", "relay": "main",
                     "detail": "250"}], **changes})


def case_messages(bounced: bool = False) -> dict[str, Any]:
    """``CaseMessagesSchema``: one delivered and one bounced message about application a1."""
    about = {"kind": "application", "id": "a1"}
    return shaped(CaseMessagesSchema, {
        "messages": [message("m1", kind="permit_submitted", about=about),
                     message("m2", "bounced", kind="permit_information_requested",
                             about=about, last_detail="5.1.1")],
        "address_bounced": bounced})


def kinds() -> list[dict[str, Any]]:
    """``KindSchema`` (many): the booking confirmation on, the reminder off."""
    return shaped(KindSchema(many=True), [
        {"id": "booking_confirmed", "audience": "resident", "enabled": True,
         "title": text("Terminbestätigung", "Booking confirmation"),
         "description": text("Nach der Buchung.", "After booking.")},
        {"id": "booking_reminder", "audience": "resident", "enabled": False,
         "title": text("Terminerinnerung", "Appointment reminder"),
         "description": text("Vor dem Termin.", "Before the appointment.")}])


def previews() -> list[dict[str, Any]]:
    """``PreviewSchema`` (many): the booking confirmation in German and English."""
    return shaped(PreviewSchema(many=True), [
        {"kind": "booking_confirmed", "language": language, "subject": subject,
         "text": f"{subject}\n\nMusterstadt", "attachments": ["termin.ics"],
         "html": f'<html lang="{language}"><body><h1 style="color:#000">{subject}</h1>'
                 '<p>Muster & "Stadt"</p></body></html>'}
        for language, subject in (("de", "Ihr Termin ist gebucht"),
                                  ("en", "Your appointment is booked"))])


def counts(tenant: str | None = None) -> dict[str, Any]:
    """``StateCountsSchema``: a few messages per state."""
    return shaped(StateCountsSchema, {"tenant": tenant, "counts": {
        "delivered": 12, "accepted": 3, "permanent_failure": 1}})


def failed_page(after: str | None = "m9") -> dict[str, Any]:
    """``FailedPageSchema``: one permanent failure, with a next page."""
    return shaped(FailedPageSchema, {
        "items": [message_status("m7", "permanent_failure", last_detail="timeout",
                                 attempts=48)], "next": after})
