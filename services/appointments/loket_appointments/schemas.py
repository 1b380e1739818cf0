# SPDX-License-Identifier: EUPL-1.2
"""The appointments service's edge: catalogue, search, hold, booking documents in and out."""
from datetime import date
from zoneinfo import available_timezones

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from .availability import FIRST_COME, LOTTERY, UNIT_MINUTES, WEEKDAYS

SLUG = validate.Regexp(r"^[a-z0-9][a-z0-9-]{0,62}$")
CLOCK = validate.Regexp(r"^([01][0-9]|2[0-3]):[0-5][0-9]$", error="Use HH:MM (24 hours).")


class TextSchema(Schema):
    """A text in German and English (German is the legal language, English required too)."""

    de = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    en = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class BookingPolicySchema(Schema):
    """When a service can be booked, and how much of it one person may hold."""

    release_days_ahead = fields.Integer(load_default=28, validate=validate.Range(min=1, max=365))
    release_time = fields.String(load_default="07:00", validate=CLOCK)
    min_lead_minutes = fields.Integer(load_default=60, validate=validate.Range(min=0, max=10080))
    max_active_bookings_per_person = fields.Integer(load_default=1,
                                                    validate=validate.Range(min=1, max=20))
    release_mode = fields.String(load_default=FIRST_COME,
                                 validate=validate.OneOf([FIRST_COME, LOTTERY]))
    lottery_window_minutes = fields.Integer(load_default=60,
                                            validate=validate.Range(min=5, max=1440))


class OfferedServiceSchema(Schema):
    """A service residents can book, e.g. applying for an ID card."""

    id = fields.String(required=True, validate=SLUG)
    name = fields.Nested(TextSchema, required=True)
    description = fields.Nested(TextSchema, required=True)
    duration_minutes = fields.Integer(required=True, validate=validate.Range(min=5, max=240))
    fee_cents = fields.Integer(required=True, validate=validate.Range(min=0))
    required_documents = fields.List(fields.Nested(TextSchema), load_default=list)
    booking_policy = fields.Nested(BookingPolicySchema, load_default=lambda: BookingPolicySchema()
                                   .load({}))

    @validates_schema
    def _duration_on_the_grid(self, data: dict, **kwargs: object) -> None:
        if data.get("duration_minutes", 0) % UNIT_MINUTES:
            raise ValidationError(f"Must be a multiple of {UNIT_MINUTES}.", "duration_minutes")


class AddressSchema(Schema):
    """A postal address of an office."""

    street = fields.String(required=True, validate=validate.Length(min=1, max=200))
    postal_code = fields.String(required=True, validate=validate.Length(min=1, max=20))
    city = fields.String(required=True, validate=validate.Length(min=1, max=200))


class CounterSchema(Schema):
    """A counter (Schalter) in an office and the services it serves."""

    id = fields.String(required=True, validate=SLUG)
    name = fields.Nested(TextSchema, required=True)
    service_ids = fields.List(fields.String(validate=SLUG), required=True)


class ClosureSchema(Schema):
    """A day an office is closed (public holiday, staff training)."""

    date = fields.String(required=True, validate=validate.Regexp(
        r"^\d{4}-\d{2}-\d{2}$", error="Use YYYY-MM-DD."))
    reason = fields.Nested(TextSchema, required=True)

    @validates("date")
    def _a_real_day(self, value: str, **kwargs: object) -> None:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise ValidationError("No such day.") from None


class IntervalField(fields.List):
    """An opening interval ``["08:00", "12:00"]``."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(fields.String(validate=CLOCK), validate=validate.Length(equal=2),
                         **kwargs)


class OfficeSchema(Schema):
    """A citizens' office (Bürgerbüro): where it is, when it is open, its counters."""

    id = fields.String(required=True, validate=SLUG)
    name = fields.Nested(TextSchema, required=True)
    address = fields.Nested(AddressSchema, required=True)
    accessibility = fields.Nested(TextSchema, required=True)
    timezone = fields.String(load_default="Europe/Berlin",
                             validate=validate.OneOf(sorted(available_timezones())))
    service_ids = fields.List(fields.String(validate=SLUG), required=True)
    counters = fields.List(fields.Nested(CounterSchema), load_default=list)
    opening_hours = fields.Dict(keys=fields.String(validate=validate.OneOf(WEEKDAYS)),
                                values=fields.List(IntervalField()), load_default=dict)
    closures = fields.List(fields.Nested(ClosureSchema), load_default=list)

    @validates_schema
    def _intervals_in_order(self, data: dict, **kwargs: object) -> None:
        for day, intervals in data.get("opening_hours", {}).items():
            previous_close = ""
            for opens, closes in intervals:
                if opens >= closes:
                    raise ValidationError(f"{day}: {opens} is not before {closes}.",
                                          "opening_hours")
                if opens < previous_close:
                    raise ValidationError(f"{day}: intervals must be in order and must not "
                                          "overlap.", "opening_hours")
                previous_close = closes


class OfficeWithServicesSchema(OfficeSchema):
    """An office as listed to residents: its services resolved."""

    services = fields.List(fields.Nested(OfferedServiceSchema), required=True)


# The earliest slots a search answers with unless it asks for more (a page of choices).
DEFAULT_SLOT_LIMIT = 50


class SearchSchema(Schema):
    """A search for free slots of one service, at one office or any."""

    service_id = fields.String(required=True, validate=SLUG)
    office_id = fields.String(load_default=None, validate=SLUG)
    date_from = fields.Date(load_default=None)
    date_to = fields.Date(load_default=None)
    limit = fields.Integer(load_default=DEFAULT_SLOT_LIMIT,
                           validate=validate.Range(min=1, max=1000))


class SlotSchema(Schema):
    """A free slot as shown to residents."""

    office_id = fields.String()
    service_id = fields.String()
    start = fields.DateTime()
    end = fields.DateTime()


class HoldRequestSchema(Schema):
    """A resident's request to hold one slot for a few minutes."""

    service_id = fields.String(required=True, validate=SLUG)
    office_id = fields.String(required=True, validate=SLUG)
    start = fields.AwareDateTime(required=True)


class ContactSchema(Schema):
    """The only personal data a booking needs; each field says why (``metadata['why']``)."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=200), metadata={
        "why": {"de": "Damit wir Sie am Schalter aufrufen und Ihren Termin finden können.",
                "en": "So that we can call you at the counter and find your appointment."}})
    email = fields.Email(required=True, validate=validate.Length(max=254), metadata={
        "why": {"de": "Für die Bestätigung, die Erinnerung und Ihren Link zum Ändern oder "
                      "Absagen.",
                "en": "For the confirmation, the reminder and your link to change or cancel."}})
    language = fields.String(load_default="de", validate=validate.OneOf(["de", "en"]), metadata={
        "why": {"de": "In dieser Sprache schreiben wir Ihnen.",
                "en": "The language we write to you in."}})
    # Set by the gateway for a signed-in resident (never asked for): their pseudonym.
    subject = fields.String(load_default=None, allow_none=True, validate=validate.Regexp(
        r"^r-[0-9a-f]{32}$", error="Not a resident subject."))


class BookingSchema(Schema):
    """A booking as its holder sees it (the manage page, the API)."""

    reference = fields.String()
    state = fields.String()
    service_id = fields.String()
    office_id = fields.String()
    counter_id = fields.String()
    start = fields.DateTime()
    end = fields.DateTime()
    expires_at = fields.DateTime(allow_none=True)
    language = fields.String(allow_none=True)


class DayListEntrySchema(BookingSchema):
    """A booking on the counter's day list (staff see the name to call the resident)."""

    name = fields.String(allow_none=True)
    walk_in = fields.Boolean()


class ActorSchema(Schema):
    """Who makes a catalogue change (from the gateway's staff authentication)."""

    subject = fields.String(required=True, validate=validate.Length(min=1, max=100))
    role = fields.String(required=True, validate=validate.Length(min=1, max=40))
    # The staff member's display name (the sign-in's `name` claim), for audit trails.
    name = fields.String(validate=validate.Length(max=200))


class StaffActorSchema(ActorSchema):
    """Staff who read residents' data (at the counter): also their display name, if known."""

    name = fields.String(load_default=None, allow_none=True,
                         validate=validate.Length(max=200))


class VersionedSchema(Schema):
    """What an administrator sees beyond the public fields: the version and whether active."""

    version = fields.Integer()
    active = fields.Boolean()


class AdminOfficeSchema(OfficeSchema, VersionedSchema):
    """An office as tenant administrators edit it."""


class AdminServiceSchema(OfferedServiceSchema, VersionedSchema):
    """An offered service as tenant administrators edit it."""


class CatalogueChangeSchema(Schema):
    """One entry of the catalogue's audit trail."""

    id = fields.String()
    entity = fields.String()
    entity_id = fields.String()
    action = fields.String()
    version_before = fields.Integer(allow_none=True)
    version_after = fields.Integer()
    actor = fields.Nested(ActorSchema)
    at = fields.DateTime()
