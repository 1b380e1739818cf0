# SPDX-License-Identifier: EUPL-1.2
"""The public contract of the appointments API (the OpenAPI document's source)."""
from marshmallow import Schema, fields, validate

from ..core.api_schemas import TextSchema

SLUG = validate.Regexp(r"^[a-z0-9][a-z0-9-]{0,62}$")


def why(de: str, en: str) -> dict:
    """Field metadata: why the field is needed, shown next to it and in the OpenAPI document."""
    return {"why": {"de": de, "en": en}, "description": en}


class SlotQuerySchema(Schema):
    """Search for free slots."""

    service_id = fields.String(required=True, validate=SLUG)
    office_id = fields.String(validate=SLUG, metadata={"description": "Omit for any office."})
    date_from = fields.Date()
    date_to = fields.Date()
    limit = fields.Integer(validate=validate.Range(min=1, max=1000), metadata={
        "description": "How many of the earliest slots (default 50); for later ones, "
                       "search again from a later date_from."})


class SlotSchema(Schema):
    """A free slot."""

    office_id = fields.String(required=True)
    service_id = fields.String(required=True)
    start = fields.String(required=True, metadata={"description": "ISO 8601 with offset."})
    end = fields.String(required=True)


class ChallengeSchema(Schema):
    """A proof-of-work challenge to solve before a hold."""

    challenge = fields.Dict(required=True, metadata={
        "description": "ALTCHA challenge: find n in [0, maxnumber] with "
                       "sha256(salt + n) == challenge."})
    token = fields.String(required=True, metadata={
        "description": "Signed challenge; without a solution it is accepted after not_before."})
    not_before = fields.String(required=True)


class HoldRequestSchema(Schema):
    """Hold a slot for a few minutes."""

    service_id = fields.String(required=True, validate=SLUG)
    office_id = fields.String(required=True, validate=SLUG)
    start = fields.String(required=True, metadata={"description": "A slot's start, as listed."})
    pow_solution = fields.String(metadata={"description": "The solved challenge (base64)."})
    pow_token = fields.String(metadata={"description": "The challenge token (no-JS path)."})


class BookingSchema(Schema):
    """A booking or hold as its holder sees it."""

    reference = fields.String()
    state = fields.String(metadata={"description": "held, booked, cancelled, checked_in, "
                                                   "called, done, no_show, expired"})
    service_id = fields.String()
    office_id = fields.String()
    counter_id = fields.String()
    start = fields.String()
    end = fields.String()
    expires_at = fields.String(allow_none=True)
    language = fields.String(allow_none=True)


class HoldSchema(BookingSchema):
    """A hold; confirm it with its id before it expires."""

    hold_id = fields.String(required=True)


class ContactSchema(Schema):
    """The only personal data a booking asks for; each field says why."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=200), metadata=why(
        "Damit wir Sie am Schalter aufrufen und Ihren Termin finden können.",
        "So that we can call you at the counter and find your appointment."))
    email = fields.Email(required=True, validate=validate.Length(max=254), metadata=why(
        "Für die Bestätigung, die Erinnerung und Ihren Link zum Ändern oder Absagen.",
        "For the confirmation, the reminder and your link to change or cancel."))
    language = fields.String(load_default="de", validate=validate.OneOf(["de", "en"]),
                             metadata=why("In dieser Sprache schreiben wir Ihnen.",
                                          "The language we write to you in."))


class ConfirmedSchema(Schema):
    """A confirmed booking: keep the manage link, it is the only key to the booking."""

    booking = fields.Nested(BookingSchema, required=True)
    manage_token = fields.String(required=True)
    manage_url = fields.String(required=True)
    calendar_url = fields.String(required=True)


class RescheduleSchema(Schema):
    """Move a booking to another slot of the same service."""

    office_id = fields.String(required=True, validate=SLUG)
    start = fields.String(required=True)


class BookingDetailsSchema(BookingSchema):
    """A booking with its office and service."""

    office = fields.Dict()
    service = fields.Dict()


class DayListEntrySchema(BookingSchema):
    """A booking on the counter's day list."""

    name = fields.String(allow_none=True)
    walk_in = fields.Boolean()


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

