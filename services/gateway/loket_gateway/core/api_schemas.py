# SPDX-License-Identifier: EUPL-1.2
"""The gateway's own answers: problem details and health (everything else is loket_contracts)."""
from marshmallow import Schema, fields


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
    sessions = fields.String(required=True, metadata={
        "description": "the gateway's own database (page sessions, rate limits)"})
    services = fields.Dict(keys=fields.String(), values=fields.Dict(), required=True)
