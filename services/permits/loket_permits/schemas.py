# SPDX-License-Identifier: EUPL-1.2
"""The permits service's edge: permit types as data."""
from marshmallow import Schema, fields, validate

SLUG = validate.Regexp(r"^[a-z0-9][a-z0-9-]{0,62}$")
FIELD_TYPES = ("text", "date", "email", "number", "licence-plate", "address")


class TextSchema(Schema):
    """A text in German and English."""

    de = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    en = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class FormFieldSchema(Schema):
    """One field of an application form, with why it is needed."""

    name = fields.String(required=True, validate=SLUG)
    type = fields.String(required=True, validate=validate.OneOf(FIELD_TYPES))
    required = fields.Boolean(required=True)
    label = fields.Nested(TextSchema, required=True)
    why = fields.Nested(TextSchema, required=True)


class PermitTypeSchema(Schema):
    """An application type a tenant offers, e.g. a residents' parking permit."""

    id = fields.String(required=True, validate=SLUG)
    name = fields.Nested(TextSchema, required=True)
    description = fields.Nested(TextSchema, required=True)
    fee_cents = fields.Integer(required=True, validate=validate.Range(min=0))
    processing_days = fields.Integer(required=True, validate=validate.Range(min=1, max=365))
    fields_ = fields.List(fields.Nested(FormFieldSchema), required=True, data_key="fields",
                          attribute="fields")
