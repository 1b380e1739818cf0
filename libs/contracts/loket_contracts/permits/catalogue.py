# SPDX-License-Identifier: EUPL-1.2
"""The permit type catalogue as the permits service gives it: fields with why, documents, fees."""
from __future__ import annotations

from marshmallow import Schema, fields

from ..common import TextSchema


class ChoiceSchema(Schema):
    """One option of a choice field."""

    value = fields.String()
    label = fields.Nested(TextSchema)


class FieldSchema(Schema):
    """One form field with why it is needed."""

    name = fields.String(required=True)
    type = fields.String(required=True)
    required = fields.Boolean(required=True)
    label = fields.Nested(TextSchema, required=True)
    why = fields.Nested(TextSchema, required=True)
    help = fields.Nested(TextSchema)
    choices = fields.List(fields.Nested(ChoiceSchema))
    min = fields.Raw()  # as written in the definition: an int stays an int
    max = fields.Raw()
    max_length = fields.Integer()
    pattern = fields.String()


class DocumentSchema(Schema):
    """A document the applicant uploads, with its limits."""

    id = fields.String(required=True)
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

    id = fields.String(required=True)
    name = fields.Nested(TextSchema, required=True)
    description = fields.Nested(TextSchema, required=True)
    processing_days = fields.Integer(required=True)
    fee_cents = fields.Integer(required=True, metadata={"description": "Base (minimum) fee."})
    fee_description = fields.Nested(TextSchema, allow_none=True)
    needs_appointment = fields.String(allow_none=True)
    for_businesses = fields.Boolean()
    minimum_trust_level = fields.String(metadata={"description": "low, substantial or high"})
    fields_ = fields.List(fields.Nested(FieldSchema), required=True, data_key="fields",
                          attribute="fields")
    documents = fields.List(fields.Nested(DocumentSchema))
    service_key = fields.String(allow_none=True, metadata={
        "description": "The LeiKa/FIM service key (14 digits), if the type has one."})


class TypeSchema(TypeSummarySchema):
    """An application type with its fee rules, workflow and contact."""

    fee = fields.Raw(metadata={"description": "Fee rules."})
    workflow = fields.Nested(WorkflowSchema)
    contact = fields.Nested(TextSchema, allow_none=True)
    appointment_service = fields.String(allow_none=True, metadata={
        "description": "The appointment service to book for it, if any (e.g. id-card)."})
