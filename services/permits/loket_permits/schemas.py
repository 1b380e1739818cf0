# SPDX-License-Identifier: EUPL-1.2
"""The permits service's edge: what RPCs take (validated) and give (dumped)."""
from marshmallow import Schema, fields, validate

STATES = ("draft", "submitted", "in_review", "information_requested", "approved", "rejected",
          "withdrawn")
STAFF_ROLES = ("case_worker", "tenant_admin")
SUBJECT = validate.Length(min=1, max=200)


class TextSchema(Schema):
    """A text in German and English."""

    de = fields.String()
    en = fields.String()


# what callers send
class ApplicantSchema(Schema):
    """The person applying: a pseudonymous subject id and a display name."""

    subject = fields.String(required=True, validate=SUBJECT)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    language = fields.String(load_default=None, validate=validate.OneOf(("de", "en")))


class ActorSchema(Schema):
    """A member of staff of the tenant (the gateway checked the role)."""

    subject = fields.String(required=True, validate=SUBJECT)
    role = fields.String(required=True, validate=validate.OneOf(STAFF_ROLES))
    name = fields.String(load_default=None, allow_none=True,
                         validate=validate.Length(max=200))


class OnBehalfOfSchema(Schema):
    """The company a representative applies for."""

    company_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    register_number = fields.String(load_default=None, validate=validate.Length(max=40))
    role = fields.String(required=True, validate=validate.Length(min=1, max=100))


class InformationRequestSchema(Schema):
    """What a case worker asks the applicant to add."""

    message = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    fields_ = fields.List(fields.String(validate=validate.Length(max=63)), load_default=list,
                          data_key="fields", attribute="fields")


class ReasonSchema(Schema):
    """A free-text reason or message (optional unless a step needs it)."""

    reason = fields.String(load_default=None, validate=validate.Length(max=2000))


class UploadSchema(Schema):
    """The document and file name of an upload."""

    document_id = fields.String(required=True, validate=validate.Length(min=1, max=63))
    filename = fields.String(required=True, validate=validate.Length(min=1, max=200))


class QueueQuerySchema(Schema):
    """Filters and paging of the case workers' queue."""

    type_id = fields.String(load_default=None, validate=validate.Length(max=63))
    state = fields.String(load_default=None, validate=validate.OneOf(STATES[1:]))
    assigned_to = fields.String(load_default=None, validate=SUBJECT)
    overdue = fields.Boolean(load_default=None, allow_none=True)
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100))
    after = fields.String(load_default=None, allow_none=True,
                          validate=validate.Length(max=500))


# what the service gives
class ChoiceSchema(Schema):
    """One option of a choice field."""

    value = fields.String()
    label = fields.Nested(TextSchema)


class FieldSchema(Schema):
    """One form field with why it is needed."""

    name = fields.String()
    type = fields.String()
    required = fields.Boolean()
    label = fields.Nested(TextSchema)
    why = fields.Nested(TextSchema)
    help = fields.Nested(TextSchema)
    choices = fields.List(fields.Nested(ChoiceSchema))
    min = fields.Raw()  # as written in the definition: an int stays an int
    max = fields.Raw()
    max_length = fields.Integer()
    pattern = fields.String()


class DocumentSchema(Schema):
    """A document the applicant uploads, with its limits."""

    id = fields.String()
    label = fields.Nested(TextSchema)
    why = fields.Nested(TextSchema)
    required = fields.Boolean()
    max_bytes = fields.Integer()
    content_types = fields.List(fields.String())


class TransitionSchema(Schema):
    """One allowed step and who may take it."""

    from_ = fields.String(data_key="from", attribute="from")
    to = fields.String()
    by = fields.String()


class WorkflowSchema(Schema):
    """The type's states and transitions."""

    states = fields.List(fields.String())
    transitions = fields.List(fields.Nested(TransitionSchema))


class TypeSummarySchema(Schema):
    """An application type as listed (home page, API); ``fee_cents`` is the fee from."""

    id = fields.String()
    name = fields.Nested(TextSchema)
    description = fields.Nested(TextSchema)
    processing_days = fields.Integer()
    fee_cents = fields.Integer()
    fee_description = fields.Nested(TextSchema, allow_none=True)
    needs_appointment = fields.String(allow_none=True)
    for_businesses = fields.Boolean()
    minimum_trust_level = fields.String()
    fields_ = fields.List(fields.Nested(FieldSchema), data_key="fields", attribute="fields")
    documents = fields.List(fields.Nested(DocumentSchema))


class TypeSchema(TypeSummarySchema):
    """An application type with its fee rules, workflow and contact."""

    fee = fields.Raw()
    workflow = fields.Nested(WorkflowSchema)
    contact = fields.Nested(TextSchema, allow_none=True)
    appointment_service = fields.String(allow_none=True)


class AttachmentSchema(Schema):
    """An uploaded file's metadata."""

    id = fields.String()
    document_id = fields.String()
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    uploaded_at = fields.DateTime()


class ByWhomSchema(Schema):
    """Who took a step."""

    subject = fields.String()
    role = fields.String()


class HistoryEntrySchema(Schema):
    """Who moved the application when, from which state to which, and why."""

    at = fields.DateTime()
    by = fields.Nested(ByWhomSchema)
    from_ = fields.String(data_key="from", attribute="from")
    to = fields.String()
    reason = fields.String(allow_none=True)
    action = fields.String()


class DecisionSchema(Schema):
    """The outcome of an application with its reason."""

    outcome = fields.String()
    reason = fields.String()


class ApplicationSummarySchema(Schema):
    """An application in the applicant's own list."""

    id = fields.String()
    reference = fields.String()
    type_id = fields.String()
    state = fields.String()
    fee_cents = fields.Integer()
    on_behalf_of = fields.Nested(OnBehalfOfSchema, allow_none=True)
    created_at = fields.DateTime()
    submitted_at = fields.DateTime(allow_none=True)
    due_at = fields.DateTime(allow_none=True)
    overdue = fields.Boolean()
    decided_at = fields.DateTime(allow_none=True)
    decision = fields.Nested(DecisionSchema, allow_none=True)
    next_step = fields.Nested(TextSchema)
    appointment_service = fields.String(allow_none=True)


class ApplicationSchema(ApplicationSummarySchema):
    """An application (case) with its data, files and history."""

    tenant = fields.String()
    data = fields.Raw()
    attachments = fields.List(fields.Nested(AttachmentSchema))
    applicant = fields.Nested(ApplicantSchema)
    assigned_to = fields.String(allow_none=True)
    information_request = fields.Nested(InformationRequestSchema, allow_none=True)
    history = fields.List(fields.Nested(HistoryEntrySchema))


class CaseSummarySchema(Schema):
    """A row of the case workers' queue: no names (data minimisation).

    The applicant is shown when a case worker opens the case, and that read is logged for
    the resident (``personal_data_accessed``).
    """

    id = fields.String()
    reference = fields.String()
    type_id = fields.String()
    state = fields.String()
    for_company = fields.Function(lambda case: bool(case.get("on_behalf_of")))
    submitted_at = fields.DateTime(allow_none=True)
    due_at = fields.DateTime(allow_none=True)
    overdue = fields.Boolean()
    assigned_to = fields.String(allow_none=True)
