# SPDX-License-Identifier: EUPL-1.2
"""Booking over RPC: slot search, holds, the contact data, bookings, the counter's day list.

``ContactFormSchema`` is what a resident is asked (each field says why); ``ContactSchema``
is what the service loads: the form plus the ``subject`` the gateway sets for a signed-in
resident (never taken from the resident).
"""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..common import SLUG, TRUST_LEVELS, Instant, why
from .catalogue import ActorSchema, OfferedServiceSchema, OfficeSchema

# The earliest slots a search answers with unless it asks for more (a page of choices).
DEFAULT_SLOT_LIMIT = 50
BOOKING_STATES = ("held", "booked", "cancelled", "checked_in", "called", "done", "no_show",
                  "expired")


class SearchSchema(Schema):
    """A search for free slots of one service, at one office or any (``search_slots``)."""

    service_id = fields.String(required=True, validate=SLUG)
    office_id = fields.String(load_default=None, validate=SLUG,
                              metadata={"description": "Omit for any office."})
    date_from = fields.Date(load_default=None)
    date_to = fields.Date(load_default=None)
    limit = fields.Integer(load_default=DEFAULT_SLOT_LIMIT,
                           validate=validate.Range(min=1, max=1000), metadata={
        "description": f"How many of the earliest slots (default {DEFAULT_SLOT_LIMIT}); for "
                       "later ones, search again from a later date_from."})


class SlotSchema(Schema):
    """A free slot as shown to residents."""

    office_id = fields.String()
    service_id = fields.String()
    start = Instant(metadata={"description": "ISO 8601 with offset."})
    end = Instant()


class HoldRequestSchema(Schema):
    """A resident's request to hold one slot for a few minutes (also a walk-in's slot)."""

    service_id = fields.String(required=True, validate=SLUG)
    office_id = fields.String(required=True, validate=SLUG)
    start = fields.AwareDateTime(required=True,
                                 metadata={"description": "A slot's start, as listed."})


class ContactFormSchema(Schema):
    """The only personal data a booking asks for; each field says why (``metadata['why']``)."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=200), metadata=why(
        "Damit wir Sie am Schalter aufrufen und Ihren Termin finden können.",
        "So that we can call you at the counter and find your appointment."))
    email = fields.Email(required=True, validate=validate.Length(max=254), metadata=why(
        "Für die Bestätigung, die Erinnerung und Ihren Link zum Ändern oder Absagen.",
        "For the confirmation, the reminder and your link to change or cancel."))
    language = fields.String(load_default="de", validate=validate.OneOf(["de", "en"]),
                             metadata=why("In dieser Sprache schreiben wir Ihnen.",
                                          "The language we write to you in."))


class ContactSchema(ContactFormSchema):
    """The contact data ``confirm_hold`` loads."""

    # Set by the gateway for a signed-in resident (never asked for): their pseudonym.
    subject = fields.String(load_default=None, allow_none=True, validate=validate.Regexp(
        r"^r-[0-9a-f]{32}$", error="Not a resident subject."))


class BookingContactSchema(ContactSchema):
    """The contact data ``confirm_hold`` loads: with the sign-in's level and name, if any.

    Set by the gateway from the resident's sign-in (never asked for); a service that
    requires an identity books under ``identity_name``, not the typed name.
    """

    trust_level = fields.String(load_default=None, allow_none=True,
                                validate=validate.OneOf(TRUST_LEVELS))
    identity_name = fields.String(load_default=None, allow_none=True,
                                  validate=validate.Length(max=200))


class HolderSchema(Schema):
    """The signed-in resident who holds, moves or cancels (``hold_slot``, the manage link)."""

    subject = fields.String(required=True, validate=validate.Regexp(
        r"^r-[0-9a-f]{32}$", error="Not a resident subject."))
    trust_level = fields.String(required=True, validate=validate.OneOf(TRUST_LEVELS))


class BookingSchema(Schema):
    """A booking (or hold) as its holder sees it (the manage page, the API)."""

    reference = fields.String()
    state = fields.String(metadata={"description": ", ".join(BOOKING_STATES)})
    service_id = fields.String()
    office_id = fields.String()
    counter_id = fields.String()
    start = Instant()
    end = Instant()
    expires_at = Instant(allow_none=True)
    language = fields.String(allow_none=True)
    identity_required = fields.String(allow_none=True, metadata={
        "description": "Set when the booking is bound to the signed-in person (the trust "
                       "level its service required): their name from the sign-in must match "
                       "the ID at the counter; only they can move or cancel it."})


class HoldSchema(BookingSchema):
    """A hold (``hold_slot``); confirm it with its id before it expires."""

    hold_id = fields.String(required=True)


class ConfirmedSchema(Schema):
    """A confirmed booking (``confirm_hold``): the manage token is the only key to it."""

    booking = fields.Nested(BookingSchema, required=True)
    manage_token = fields.String(required=True)


class BookingDetailsSchema(BookingSchema):
    """A booking with its office and service (``booking_details``, the .ics file)."""

    tenant = fields.String()
    office = fields.Nested(OfficeSchema, only=("id", "name", "address", "accessibility",
                                               "timezone"))
    service = fields.Nested(OfferedServiceSchema, only=(
        "id", "name", "duration_minutes", "fee_cents", "required_documents",
        "identity_required"))


class HoldDetailsSchema(BookingDetailsSchema, HoldSchema):
    """An unexpired hold with its office and service (``hold_details``, the contact form)."""


class DayListEntrySchema(BookingSchema):
    """A booking on the counter's day list (staff see the name to call the resident)."""

    name = fields.String(allow_none=True)
    walk_in = fields.Boolean()


class StaffActorSchema(ActorSchema):
    """Staff who read residents' data (at the counter): also their display name, if known."""

    name = fields.String(load_default=None, allow_none=True,
                         validate=validate.Length(max=200))


class ResidentSchema(Schema):
    """What appointments knows of a resident (``get_resident``), from profile events."""

    subject = fields.String(required=True)
    preferred_language = fields.String(required=True)
