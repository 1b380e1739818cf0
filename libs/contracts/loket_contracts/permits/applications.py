# SPDX-License-Identifier: EUPL-1.2
"""Applications (cases) as the permits service gives them: to applicants and case workers."""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from ..common import Day, Instant, TextSchema
from .counter import CounterApplicantSchema
from .file_names import FileName
from .schemas import STATES, ApplicantSchema, InformationRequestSchema, OnBehalfOfSchema


class AttachmentSchema(Schema):
    """An uploaded file's metadata; its type is detected from its content."""

    id = fields.String()
    document_id = fields.String()
    filename = FileName()
    content_type = fields.String()
    size = fields.Integer()
    uploaded_at = Instant()


class FileSchema(Schema):
    """An attachment's content (``get_attachment``)."""

    filename = FileName(required=True)
    content_type = fields.String(required=True)
    content_base64 = fields.String(required=True)


class ByWhomSchema(Schema):
    """Who took a step."""

    subject = fields.String()
    role = fields.String()


class HistoryEntrySchema(Schema):
    """Who moved the application when, from which state to which, and why."""

    at = Instant()
    by = fields.Nested(ByWhomSchema)
    from_ = fields.String(data_key="from", attribute="from", allow_none=True)
    to = fields.String()
    reason = fields.String(allow_none=True)
    action = fields.String(metadata={
        "description": "What happened: the state moved to, or assigned, resubmitted, erasure."})


class DecisionSchema(Schema):
    """The outcome of an application with its reason."""

    outcome = fields.String()
    reason = fields.String()


class ApplicationSummarySchema(Schema):
    """An application in the applicant's own list."""

    id = fields.String()
    reference = fields.String()
    type_id = fields.String()
    state = fields.String(metadata={"description": ", ".join(STATES)})
    fee_cents = fields.Integer(allow_none=True)
    on_behalf_of = fields.Nested(OnBehalfOfSchema, allow_none=True)
    created_at = Instant()
    submitted_at = Instant(allow_none=True)
    due_at = Instant(allow_none=True)
    overdue = fields.Boolean()
    decided_at = Instant(allow_none=True)
    decision = fields.Nested(DecisionSchema, allow_none=True)
    next_step = fields.Nested(TextSchema, allow_none=True)
    appointment_service = fields.String(allow_none=True)
    channel = fields.Function(lambda case: case.get("channel") or "online", metadata={
        "type": "string", "description": "online (by the resident) or counter (by staff)."})


class ApplicationSchema(ApplicationSummarySchema):
    """An application (case) with its data, files and history."""

    tenant = fields.String()
    data = fields.Raw(metadata={"description": "Form field values by name."})
    attachments = fields.List(fields.Nested(AttachmentSchema))
    applicant = fields.Nested(ApplicantSchema)
    applicant_contact = fields.Nested(CounterApplicantSchema, allow_none=True,
                                      only=("address", "email", "phone"), metadata={
        "description": "The contact staff took down at the counter (counter cases)."})
    documents_seen = fields.Boolean(allow_none=True, metadata={
        "description": "Counter cases: the required documents were shown at the counter."})
    assigned_to = fields.String(allow_none=True)
    information_request = fields.Nested(InformationRequestSchema, allow_none=True)
    history = fields.List(fields.Nested(HistoryEntrySchema))


def _for_company(case: dict) -> bool:
    """From the stored case's company, or the flag itself when dumping a dumped row again."""
    if "for_company" in case:
        return bool(case["for_company"])
    return bool(case.get("on_behalf_of"))


class CaseSummarySchema(Schema):
    """A row of the case workers' queue: no names (data minimisation).

    The applicant is shown when a case worker opens the case, and that read is logged for
    the resident (``personal_data_accessed``).
    """

    id = fields.String()
    reference = fields.String()
    type_id = fields.String()
    state = fields.String()
    for_company = fields.Function(_for_company,
                                  metadata={"type": "boolean",
                                            "description": "Made on behalf of a company."})
    submitted_at = Instant(allow_none=True)
    due_at = Instant(allow_none=True)
    overdue = fields.Boolean()
    assigned_to = fields.String(allow_none=True)


class CasePageSchema(Schema):
    """A page of the queue (``case_queue``)."""

    items = fields.List(fields.Nested(CaseSummarySchema), required=True)
    next = fields.String(allow_none=True, metadata={"description": "Cursor for `after`."})
    total = fields.Integer(allow_none=True, metadata={
        "description": "Matching cases; null when counting would be slow (overdue filters)."})

    def get_attribute(self, obj: Any, attr: str, default: Any) -> Any:
        """Keys only: a dict's own ``items`` method is not the page's ``items``."""
        if isinstance(obj, dict):
            return obj.get(attr, default)
        return super().get_attribute(obj, attr, default)


class LabelledFieldSchema(Schema):
    """A field an information request names, with its label."""

    name = fields.String()
    label = fields.Nested(TextSchema)


class NoticeRequestSchema(Schema):
    """The information request as a notification tells it."""

    message = fields.String()
    fields_ = fields.List(fields.Nested(LabelledFieldSchema), data_key="fields",
                          attribute="fields")
    answer_by = Day(allow_none=True)


class NoticeDecisionSchema(DecisionSchema):
    """The decision as a notification tells it."""

    decided_at = Instant(allow_none=True)


class NoticeApplicantSchema(Schema):
    """The applicant's pseudonym and language (the address comes from profile)."""

    subject = fields.String(allow_none=True)
    language = fields.String(allow_none=True)


class ApplicationNoticeSchema(Schema):
    """What a notification about an application says (``application_for_notification``)."""

    id = fields.String()
    reference = fields.String()
    type_id = fields.String()
    type_name = fields.Nested(TextSchema)
    state = fields.String(metadata={"description": ", ".join(STATES)})
    applicant = fields.Nested(NoticeApplicantSchema)
    fee_cents = fields.Integer(allow_none=True)
    submitted_at = Instant(allow_none=True)
    due_at = Instant(allow_none=True)
    information_request = fields.Nested(NoticeRequestSchema, allow_none=True)
    decision = fields.Nested(NoticeDecisionSchema, allow_none=True)
    next_step = fields.Nested(TextSchema, allow_none=True)
    assigned_to = fields.String(allow_none=True)
