# SPDX-License-Identifier: EUPL-1.2
"""The profile service's edge: what a resident may send and what we keep.

Every field says why we need it (``metadata['why']``); the gateway shows it.
"""
from marshmallow import Schema, fields, validate

LANGUAGES = ("de", "en")


class NewProfileSchema(Schema):
    """A resident creating their profile."""

    given_name = fields.String(
        required=True,
        validate=validate.Length(min=1, max=100),
        metadata={"why": "To address you and to match you to your applications at the counter."},
    )
    family_name = fields.String(
        required=True,
        validate=validate.Length(min=1, max=100),
        metadata={"why": "Required by law to identify you in administrative procedures."},
    )
    email = fields.Email(
        load_default=None,
        allow_none=True,
        metadata={"why": "Optional: only to send you confirmations and status updates."},
    )
    preferred_language = fields.String(
        load_default="de",
        validate=validate.OneOf(LANGUAGES),
        metadata={"why": "To write to you in the language you choose."},
    )


class ProfileSchema(NewProfileSchema):
    """A profile as returned to its owner."""

    subject = fields.String(required=True, metadata={"description": "Pseudonymous subject id."})
    created_at = fields.DateTime(required=True)
