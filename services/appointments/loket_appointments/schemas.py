# SPDX-License-Identifier: EUPL-1.2
"""The appointments service's edge: catalogue documents in and out."""
from marshmallow import Schema, fields, validate

SLUG = validate.Regexp(r"^[a-z0-9][a-z0-9-]{0,62}$")


class TextSchema(Schema):
    """A text in German and English (German is the legal language, English required too)."""

    de = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    en = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class OfferedServiceSchema(Schema):
    """A service residents can book, e.g. applying for an ID card."""

    id = fields.String(required=True, validate=SLUG)
    name = fields.Nested(TextSchema, required=True)
    description = fields.Nested(TextSchema, required=True)
    duration_minutes = fields.Integer(required=True, validate=validate.Range(min=5, max=240))
    fee_cents = fields.Integer(required=True, validate=validate.Range(min=0))
    required_documents = fields.List(fields.Nested(TextSchema), load_default=list)


class AddressSchema(Schema):
    """A postal address of an office."""

    street = fields.String(required=True)
    postal_code = fields.String(required=True)
    city = fields.String(required=True)


class OfficeSchema(Schema):
    """A citizens' office (Bürgerbüro) and the services it offers."""

    id = fields.String(required=True, validate=SLUG)
    name = fields.Nested(TextSchema, required=True)
    address = fields.Nested(AddressSchema, required=True)
    accessibility = fields.Nested(TextSchema, required=True)
    service_ids = fields.List(fields.String(validate=SLUG), required=True)


class OfficeWithServicesSchema(OfficeSchema):
    """An office as listed to residents: its services resolved."""

    services = fields.List(fields.Nested(OfferedServiceSchema), required=True)
