# SPDX-License-Identifier: EUPL-1.2
"""An application entered at the counter by staff on behalf of a resident (channel counter).

The resident may have no Loket account: the service gives the case a pseudonymous subject
of its own. The form ``data`` is checked against the type's fields exactly as a resident's
submission is; ``documents_seen`` stands for the type's required documents, shown at the
counter instead of uploaded (recorded in the case's history).
"""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..common import Instant, TextSchema, why
from .schemas import ActorSchema, OnBehalfOfSchema

# Who may enter an application at the counter (the gateway checks the role).
COUNTER_ROLES = ("counter_staff", "case_worker", "tenant_admin")


class CounterActorSchema(ActorSchema):
    """The member of staff entering the application (role recorded in the history)."""

    role = fields.String(required=True, validate=validate.OneOf(COUNTER_ROLES))


class CounterAddressSchema(Schema):
    """The resident's postal address as given at the counter."""

    street = fields.String(required=True, validate=validate.Length(min=1, max=200))
    postal_code = fields.String(required=True, validate=validate.Regexp(r"^\d{5}$"))
    city = fields.String(required=True, validate=validate.Length(min=1, max=100))


class CounterApplicantSchema(Schema):
    """The resident the application is for: name and contact as given (stored encrypted)."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=200), metadata=why(
        "Für wen der Antrag gestellt wird.", "Whom the application is for."))
    address = fields.Nested(CounterAddressSchema, load_default=None, allow_none=True,
                            metadata=why("Wohin der Bescheid geht.",
                                         "Where the decision is sent."))
    email = fields.Email(load_default=None, allow_none=True,
                         validate=validate.Length(max=254),
                         metadata=why("Für Rückfragen.", "For questions about the case."))
    phone = fields.String(load_default=None, allow_none=True,
                          validate=validate.Regexp(r"^\+?[0-9 ()/-]{3,30}$"),
                          metadata=why("Für Rückfragen.", "For questions about the case."))
    language = fields.String(load_default=None, allow_none=True,
                             validate=validate.OneOf(("de", "en")))


class CounterEntrySchema(Schema):
    """What ``enter_counter_application`` takes (and the API's request body)."""

    type_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    data = fields.Dict(required=True, metadata={"description": "Form field values by name, "
                                                "checked as a resident's submission."})
    applicant = fields.Nested(CounterApplicantSchema, required=True)
    on_behalf_of = fields.Nested(OnBehalfOfSchema, load_default=None, allow_none=True)
    documents_seen = fields.Boolean(load_default=False, metadata={
        "description": "The type's required documents were shown at the counter (needed "
                       "when the type requires documents; recorded in the history)."})


class CounterReceiptSchema(Schema):
    """What the receipt handed to the resident says (``enter_counter_application``).

    There is no status link: residents follow their applications signed in, and this one
    belongs to no account; they ask at the office with the reference.
    """

    id = fields.String()
    reference = fields.String()
    type_id = fields.String()
    state = fields.String()
    channel = fields.String()
    fee_cents = fields.Integer(allow_none=True)
    submitted_at = Instant()
    due_at = Instant()
    documents_seen = fields.Boolean()
    next_step = fields.Nested(TextSchema, allow_none=True)
    appointment_service = fields.String(allow_none=True)
