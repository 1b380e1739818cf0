# SPDX-License-Identifier: EUPL-1.2
"""The public contract of the permit application API (the OpenAPI document's source).

Requests are checked here for shape only; the permits service validates an
application's ``data`` against its type's form fields.
"""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..catalogue.admin_schemas import ActorSchema
from ..core.api_schemas import FormFieldSchema, PermitTypeSchema, TextSchema

SLUG = validate.Regexp(r"^[a-z0-9][a-z0-9-]{0,62}$")
# Field and document names of a permit type (as the permits service's definitions name them).
FIELD_NAME = validate.Regexp(r"^[a-z][a-z0-9_]{0,62}$")
STATES = ("draft", "submitted", "in_review", "information_requested", "approved",
          "rejected", "withdrawn")
CASE_TARGETS = ("in_review", "information_requested", "approved", "rejected")
REASON = validate.Length(min=1, max=2000)


class OnBehalfOfSchema(Schema):
    """The business a representative applies for."""

    company_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    register_number = fields.String(validate=validate.Length(max=60))
    role = fields.String(required=True, validate=validate.Length(min=1, max=100), metadata={
        "description": "The applicant's role in the business, e.g. managing director."})


class NewApplicationSchema(Schema):
    """Start an application (a draft) of a permit type."""

    type_id = fields.String(required=True, validate=SLUG)
    data = fields.Dict(keys=fields.String(), load_default=dict, metadata={
        "description": "Form field values by name (see the type's fields); may be partial."})
    on_behalf_of = fields.Nested(OnBehalfOfSchema, allow_none=True, load_default=None)


class DraftUpdateSchema(Schema):
    """Change fields of a draft (or of an application asked for information)."""

    data = fields.Dict(keys=fields.String(), required=True)


class WithdrawalSchema(Schema):
    """Withdraw an application."""

    reason = fields.String(required=True, validate=REASON)


class AnswerSchema(Schema):
    """Answer a case worker's request for information."""

    data = fields.Dict(keys=fields.String(), load_default=dict)
    message = fields.String(required=True, validate=REASON)


class UploadSchema(Schema):
    """An attachment upload (multipart/form-data)."""

    document_id = fields.String(required=True, validate=FIELD_NAME, metadata={
        "description": "Which of the type's documents this is."})
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class AttachmentSchema(Schema):
    """An uploaded document; its type is detected from its content."""

    id = fields.String(required=True)
    document_id = fields.String(required=True)
    filename = fields.String(required=True)
    content_type = fields.String(required=True)
    size = fields.Integer(required=True)
    uploaded_at = fields.String(required=True)


class ApplicantSchema(Schema):
    """Who applies: the profile's subject and name."""

    subject = fields.String()
    name = fields.String()


class HistoryEntrySchema(Schema):
    """One change of state."""

    at = fields.String()
    by = fields.Nested(ActorSchema)
    from_ = fields.String(data_key="from", attribute="from", allow_none=True)
    to = fields.String()
    reason = fields.String(allow_none=True)


class InformationRequestSchema(Schema):
    """What a case worker asks the applicant for."""

    message = fields.String(required=True, validate=REASON)
    fields_ = fields.List(fields.String(validate=validate.Length(min=1, max=100)),
                          load_default=list, data_key="fields", attribute="fields",
                          metadata={"description": "Form fields the applicant should change."})


class DecisionSchema(Schema):
    """The outcome and its reason."""

    outcome = fields.String()
    reason = fields.String()


class ApplicationSchema(Schema):
    """An application as its applicant and case workers see it."""

    id = fields.String(required=True)
    reference = fields.String(required=True)
    tenant = fields.String()
    type_id = fields.String(required=True)
    state = fields.String(required=True, metadata={"description": ", ".join(STATES)})
    data = fields.Dict()
    attachments = fields.List(fields.Nested(AttachmentSchema))
    fee_cents = fields.Integer(allow_none=True)
    on_behalf_of = fields.Nested(OnBehalfOfSchema, allow_none=True)
    applicant = fields.Nested(ApplicantSchema)
    assigned_to = fields.String(allow_none=True)
    created_at = fields.String()
    submitted_at = fields.String(allow_none=True)
    due_at = fields.String(allow_none=True)
    overdue = fields.Boolean()
    decided_at = fields.String(allow_none=True)
    decision = fields.Nested(DecisionSchema, allow_none=True)
    information_request = fields.Nested(InformationRequestSchema, allow_none=True)
    history = fields.List(fields.Nested(HistoryEntrySchema))
    next_step = fields.Nested(TextSchema, allow_none=True)


class ApplicationSummarySchema(Schema):
    """One of my applications in a list."""

    id = fields.String(required=True)
    reference = fields.String(required=True)
    type_id = fields.String(required=True)
    state = fields.String(required=True)
    created_at = fields.String()
    submitted_at = fields.String(allow_none=True)
    due_at = fields.String(allow_none=True)


class TypeDocumentSchema(Schema):
    """A document an application type asks for."""

    id = fields.String(required=True)
    label = fields.Nested(TextSchema)
    why = fields.Nested(TextSchema)
    required = fields.Boolean()
    max_bytes = fields.Integer()
    content_types = fields.List(fields.String())


class PermitTypeSummarySchema(PermitTypeSchema):
    """An application type in the list."""

    fee_cents = fields.Integer(required=True, metadata={"description": "Base (minimum) fee."})
    fee_description = fields.Nested(TextSchema, allow_none=True)
    appointment_service = fields.String(allow_none=True, metadata={
        "description": "The appointment service to book for it, if any (e.g. id-card)."})
    for_businesses = fields.Boolean()
    documents = fields.List(fields.Nested(TypeDocumentSchema))


class PermitTypeDetailSchema(PermitTypeSchema):
    """An application type with its form, documents, fee rules and workflow."""

    fee = fields.Dict(metadata={"description": "Fee rules."})
    fields_ = fields.List(fields.Nested(FormFieldSchema), data_key="fields", attribute="fields")
    documents = fields.List(fields.Nested(TypeDocumentSchema))
    workflow = fields.Dict()
    contact = fields.Nested(TextSchema, allow_none=True)
    appointment_service = fields.String(allow_none=True)


class CaseQuerySchema(Schema):
    """Filter the case queue."""

    type_id = fields.String(validate=SLUG)
    state = fields.String(validate=validate.OneOf(STATES))
    assigned_to = fields.String(validate=validate.Length(min=1, max=100), metadata={
        "description": "me, nobody, or a staff subject."})
    overdue = fields.Boolean()
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100))
    after = fields.String(validate=validate.Length(min=1, max=500), metadata={
        "description": "The previous page's next cursor."})


class CaseSummarySchema(Schema):
    """An application in the case workers' queue; the applicant's name only in the case."""

    id = fields.String(required=True)
    reference = fields.String(required=True)
    type_id = fields.String(required=True)
    state = fields.String(required=True)
    for_company = fields.Boolean(metadata={"description": "Made on behalf of a company."})
    submitted_at = fields.String(allow_none=True)
    due_at = fields.String(allow_none=True)
    overdue = fields.Boolean()
    assigned_to = fields.String(allow_none=True)


class CasePageSchema(Schema):
    """A page of the queue."""

    items = fields.List(fields.Nested(CaseSummarySchema), required=True)
    next = fields.String(allow_none=True, metadata={"description": "Cursor for `after`."})
    total = fields.Integer(allow_none=True, metadata={
        "description": "Matching cases; null when counting would be slow (overdue filters)."})


class AssignmentSchema(Schema):
    """Assign a case."""

    assignee = fields.String(required=True, validate=validate.Length(min=1, max=100),
                             metadata={"description": "me, or a staff subject."})


class TransitionSchema(Schema):
    """Move a case to another state."""

    to = fields.String(required=True, validate=validate.OneOf(CASE_TARGETS))
    reason = fields.String(validate=REASON, metadata={
        "description": "Required to approve or reject."})
    information_request = fields.Nested(InformationRequestSchema, metadata={
        "description": "Required to request information."})

    @validates_schema
    def _what_the_target_needs(self, data: dict, **_: object) -> None:
        if data.get("to") in ("approved", "rejected") and not data.get("reason"):
            raise ValidationError("A decision needs a reason.", "reason")
        if data.get("to") == "information_requested" and not data.get("information_request"):
            raise ValidationError("Say what information you need.", "information_request")
