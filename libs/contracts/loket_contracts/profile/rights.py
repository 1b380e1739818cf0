# SPDX-License-Identifier: EUPL-1.2
"""What the profile service answers about a resident's rights: fields, consents, access, erasure."""
from __future__ import annotations

from marshmallow import Schema, fields


class ProfileFieldSchema(Schema):
    """A profile field, whether it is required, and why it is asked for (``profile_fields``).

    The address also lists its parts (``fields``), each with its own why.
    """

    name = fields.String(required=True)
    why_de = fields.String(required=True)
    why_en = fields.String(required=True)
    required = fields.Boolean(required=True)
    fields_ = fields.List(fields.Nested(lambda: ProfileFieldSchema()), data_key="fields",
                          attribute="fields")


class ConsentSchema(Schema):
    """A purpose a resident may consent to, and whether and when they did."""

    purpose = fields.String(required=True)
    title_de = fields.String()
    title_en = fields.String()
    text_de = fields.String()
    text_en = fields.String()
    given = fields.Boolean(required=True)
    given_at = fields.String(allow_none=True)
    withdrawn_at = fields.String(allow_none=True)


class AccessLogEntrySchema(Schema):
    """One time staff read the resident's data: who, in which role, for what, where."""

    at = fields.String(required=True)
    actor_name = fields.String(allow_none=True)
    actor_role = fields.String(allow_none=True)
    purpose = fields.String(allow_none=True)
    service = fields.String(allow_none=True)
    record = fields.String(allow_none=True)


class ServiceErasureSchema(Schema):
    """One service's part of an erasure."""

    state = fields.String(required=True, metadata={"description": "pending or done"})
    at = fields.String(allow_none=True)


class ErasureSchema(Schema):
    """An erasure request and each service's progress (GDPR art. 17)."""

    id = fields.String(required=True)
    state = fields.String(required=True, metadata={"description": "in_progress or completed"})
    requested_at = fields.String(required=True)
    completed_at = fields.String(allow_none=True)
    services = fields.Dict(keys=fields.String(), values=fields.Nested(ServiceErasureSchema),
                           required=True)
