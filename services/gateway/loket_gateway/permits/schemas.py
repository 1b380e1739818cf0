# SPDX-License-Identifier: EUPL-1.2
"""The permit API's own shapes: what only HTTP has (the contract is loket_contracts).

What the permits service answers (types, applications, cases) is defined once in
:mod:`loket_contracts.permits`; here are the bodies and queries of the API alone. They are
checked for shape only: the permits service validates an application's ``data`` against
its type's form fields.
"""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from loket_contracts.common import SLUG
from loket_contracts.permits.schemas import InformationRequestSchema, OnBehalfOfSchema

# Field and document names of a permit type (as the permits service's definitions name them).
FIELD_NAME = validate.Regexp(r"^[a-z][a-z0-9_]{0,62}$")
STATES = ("draft", "submitted", "in_review", "information_requested", "approved",
          "rejected", "withdrawn")
CASE_TARGETS = ("in_review", "information_requested", "approved", "rejected")
REASON = validate.Length(min=1, max=2000)


class OnBehalfOfFormSchema(OnBehalfOfSchema):
    """The business a representative applies for, as sent (the service fills in defaults)."""

    register_number = fields.String(validate=validate.Length(max=40))


class NewApplicationSchema(Schema):
    """Start an application (a draft) of a permit type."""

    type_id = fields.String(required=True, validate=SLUG)
    data = fields.Dict(keys=fields.String(), load_default=dict, metadata={
        "description": "Form field values by name (see the type's fields); may be partial."})
    on_behalf_of = fields.Nested(OnBehalfOfFormSchema, allow_none=True, load_default=None)


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


class UploadFormSchema(Schema):
    """An attachment upload (multipart/form-data); the file's name is the upload's."""

    document_id = fields.String(required=True, validate=FIELD_NAME, metadata={
        "description": "Which of the type's documents this is."})
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


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


class AssignmentSchema(Schema):
    """Assign a case."""

    assignee = fields.String(required=True, validate=validate.Length(min=1, max=100),
                             metadata={"description": "me, or a staff subject."})


class CaseTransitionSchema(Schema):
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
