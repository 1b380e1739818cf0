# SPDX-License-Identifier: EUPL-1.2
"""The public API's contract: request and response schemas (the OpenAPI document's source).

The gateway validates requests with these before calling a service; the
services validate again at their own edge.
"""
from marshmallow import Schema, fields

LANGUAGES = ("de", "en")


class TextSchema(Schema):
    """A text in German and English."""

    de = fields.String(required=True)
    en = fields.String(required=True)


class OfferedServiceSchema(Schema):
    """A service that can be booked at a citizens' office."""

    id = fields.String(required=True)
    name = fields.Nested(TextSchema, required=True)
    description = fields.Nested(TextSchema, required=True)
    duration_minutes = fields.Integer(required=True)
    fee_cents = fields.Integer(required=True)
    required_documents = fields.List(fields.Nested(TextSchema), required=True)


class AddressSchema(Schema):
    """A postal address."""

    street = fields.String(required=True)
    postal_code = fields.String(required=True)
    city = fields.String(required=True)


class OfficeSchema(Schema):
    """A citizens' office with the services offered there."""

    id = fields.String(required=True)
    name = fields.Nested(TextSchema, required=True)
    address = fields.Nested(AddressSchema, required=True)
    accessibility = fields.Nested(TextSchema, required=True)
    service_ids = fields.List(fields.String(), required=True)
    services = fields.List(fields.Nested(OfferedServiceSchema), required=True)


class ProblemSchema(Schema):
    """An error (RFC 9457 problem details) with a stable ``code``."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    code = fields.String(required=True)
    detail = fields.String()
    invalid_params = fields.List(fields.Dict())


class HealthSchema(Schema):
    """The state of each dependency."""

    status = fields.String(required=True)
    broker = fields.String(required=True)
    services = fields.Dict(keys=fields.String(), values=fields.Dict(), required=True)
