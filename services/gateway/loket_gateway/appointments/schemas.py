# SPDX-License-Identifier: EUPL-1.2
"""The appointments API's own shapes: what only HTTP has (the contract is loket_contracts).

What crosses RPC (slots, holds, contact data, bookings, the day list) is defined once in
:mod:`loket_contracts.appointments`; here are the HTTP-only additions: the proof of work on
a hold, the links on a confirmation, and the bodies and queries of the API alone.
"""
from marshmallow import Schema, fields, validate

from loket_contracts.appointments import schemas as contract
from loket_contracts.common import SLUG, TextSchema


class ChallengeSchema(Schema):
    """A proof-of-work challenge to solve before a hold."""

    challenge = fields.Dict(required=True, metadata={
        "description": "ALTCHA challenge: find n in [0, maxnumber] with "
                       "sha256(salt + n) == challenge."})
    token = fields.String(required=True, metadata={
        "description": "Signed challenge; without a solution it is accepted after not_before."})
    not_before = fields.String(required=True)


class HoldWithProofSchema(contract.HoldRequestSchema):
    """Hold a slot for a few minutes, with the solved proof of work (or its token)."""

    pow_solution = fields.String(metadata={"description": "The solved challenge (base64)."})
    pow_token = fields.String(metadata={"description": "The challenge token (no-JS path)."})


class ConfirmedWithLinksSchema(contract.ConfirmedSchema):
    """A confirmed booking: keep the manage link, it is the only key to the booking."""

    manage_url = fields.String(required=True)
    calendar_url = fields.String(required=True)


class RescheduleSchema(Schema):
    """Move a booking to another slot of the same service."""

    office_id = fields.String(required=True, validate=SLUG)
    start = fields.String(required=True)


class DayListQuerySchema(Schema):
    """Which day list."""

    date = fields.Date(required=True)
    counter_id = fields.String(validate=SLUG)


class WalkInSchema(Schema):
    """A booking entered by staff for someone at the counter."""

    service_id = fields.String(required=True, validate=SLUG)
    start = fields.String(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))


class FieldWhySchema(Schema):
    """A requested field and why it is needed."""

    name = fields.String(required=True)
    required = fields.Boolean(required=True)
    why = fields.Nested(TextSchema, required=True)
