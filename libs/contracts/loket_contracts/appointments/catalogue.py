# SPDX-License-Identifier: EUPL-1.2
"""The catalogue over RPC: offices, offered services, closures, and the admins' view of them.

``OfficeSchema`` and ``OfferedServiceSchema`` validate what tenant admins put (the service
loads them); ``OfficeWithServicesSchema`` is what residents are listed; the ``Admin*`` schemas
add the version (the ETag) and whether the entry is offered.
"""
from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import available_timezones

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from ..common import SLUG, TRUST_LEVELS, Instant, TextSchema
from ..statistics.measures import SERVICE_KEY

# Time is cut into units of this many minutes (durations, slots, the ledger).
UNIT_MINUTES = 5
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FIRST_COME = "first_come"
LOTTERY = "lottery"
CLOCK = validate.Regexp(r"^([01][0-9]|2[0-3]):[0-5][0-9]$", error="Use HH:MM (24 hours).")


class BookingPolicySchema(Schema):
    """When a service can be booked, and how much of it one person may hold."""

    release_days_ahead = fields.Integer(
        load_default=28, validate=validate.Range(min=1, max=365),
        metadata={"description": "Slots are released this many days ahead (default 28)."})
    release_time = fields.String(load_default="07:00", validate=CLOCK, metadata={
        "description": "HH:MM at which a new day is released (default 07:00)."})
    min_lead_minutes = fields.Integer(
        load_default=60, validate=validate.Range(min=0, max=10080),
        metadata={"description": "No slot sooner than this (default 60)."})
    max_active_bookings_per_person = fields.Integer(
        load_default=1, validate=validate.Range(min=1, max=20),
        metadata={"description": "Default 1."})
    release_mode = fields.String(load_default=FIRST_COME,
                                 validate=validate.OneOf([FIRST_COME, LOTTERY]),
                                 metadata={"description": "first_come (default) or lottery."})
    lottery_window_minutes = fields.Integer(
        load_default=60, validate=validate.Range(min=5, max=1440),
        metadata={"description": "With a lottery: minutes to enter before the draw "
                                 "(default 60)."})


class OfferedServiceSchema(Schema):
    """A service residents can book, e.g. applying for an ID card (PUT replaces it whole)."""

    id = fields.String(required=True, validate=SLUG, metadata={
        "description": "In a PUT optional; must equal the path's id."})
    name = fields.Nested(TextSchema, required=True)
    description = fields.Nested(TextSchema, required=True,
                                metadata={"description": "Plain language."})
    duration_minutes = fields.Integer(required=True, validate=validate.Range(min=5, max=240),
                                      metadata={"description": "A multiple of 5, 5 to 240."})
    fee_cents = fields.Integer(required=True, validate=validate.Range(min=0))
    required_documents = fields.List(fields.Nested(TextSchema), load_default=list)
    booking_policy = fields.Nested(BookingPolicySchema, load_default=lambda: BookingPolicySchema()
                                   .load({}))
    identity_required = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(TRUST_LEVELS), metadata={
            "description": "For scarce services: the eIDAS trust level (low, substantial, "
                           "high) a resident must sign in with to hold and book; the booking "
                           "is bound to that person (name from the sign-in, moved or "
                           "cancelled only by them). Omit or null: anonymous booking."})
    service_key = fields.String(
        load_default=None, dump_default=None, allow_none=True, validate=SERVICE_KEY, metadata={
            "description": "The LeiKa (FIM) service key, 14 digits, e.g. 99115005104000 "
                           "(Wohnsitz Anmeldung): makes the statistics comparable across "
                           "municipalities. Omit or null: none."})

    @validates_schema
    def _duration_on_the_grid(self, data: dict[str, Any], **kwargs: object) -> None:
        if data.get("duration_minutes", 0) % UNIT_MINUTES:
            raise ValidationError(f"Must be a multiple of {UNIT_MINUTES}.", "duration_minutes")

    @validates_schema
    def _bound_bookings_come_first_come(self, data: dict[str, Any], **kwargs: object) -> None:
        # A lottery entry carries no sign-in level, so its draw could not bind the booking.
        if (data.get("identity_required")
                and data.get("booking_policy", {}).get("release_mode") == LOTTERY):
            raise ValidationError("Not (yet) with release_mode lottery.", "identity_required")


class AddressSchema(Schema):
    """A postal address of an office."""

    street = fields.String(required=True, validate=validate.Length(min=1, max=200))
    postal_code = fields.String(required=True, validate=validate.Length(min=1, max=20))
    city = fields.String(required=True, validate=validate.Length(min=1, max=200))


class CounterSchema(Schema):
    """A counter (Schalter) in an office and the services it serves (each offered there)."""

    id = fields.String(required=True, validate=SLUG)
    name = fields.Nested(TextSchema, required=True)
    service_ids = fields.List(fields.String(validate=SLUG), required=True)


class ClosureSchema(Schema):
    """A day an office is closed (public holiday, staff training)."""

    date = fields.String(required=True, validate=validate.Regexp(
        r"^\d{4}-\d{2}-\d{2}$", error="Use YYYY-MM-DD."), metadata={"description": "YYYY-MM-DD"})
    reason = fields.Nested(TextSchema, required=True)

    @validates("date")
    def _a_real_day(self, value: str, **kwargs: object) -> None:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise ValidationError("No such day.") from None


class IntervalField(fields.List):
    """An opening interval ``["08:00", "12:00"]`` (local time)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("metadata", {"description": '["08:00", "12:00"] (local time)'})
        super().__init__(fields.String(validate=CLOCK), validate=validate.Length(equal=2),
                         **kwargs)


class OfficeSchema(Schema):
    """A citizens' office (Bürgerbüro): where it is, when it is open, its counters."""

    id = fields.String(required=True, validate=SLUG, metadata={
        "description": "In a PUT optional; must equal the path's id."})
    name = fields.Nested(TextSchema, required=True)
    address = fields.Nested(AddressSchema, required=True)
    accessibility = fields.Nested(TextSchema, required=True)
    timezone = fields.String(load_default="Europe/Berlin",
                             validate=validate.OneOf(sorted(available_timezones())),
                             metadata={"description": "IANA name (default Europe/Berlin)."})
    service_ids = fields.List(fields.String(validate=SLUG), required=True,
                              metadata={"description": "Existing, active services."})
    counters = fields.List(fields.Nested(CounterSchema), load_default=list)
    opening_hours = fields.Dict(keys=fields.String(validate=validate.OneOf(WEEKDAYS)),
                                values=fields.List(IntervalField()), load_default=dict,
                                metadata={"description": "mon..sun -> ordered intervals."})
    closures = fields.List(fields.Nested(ClosureSchema), load_default=list, metadata={
        "description": "In a PUT: omit to keep the office's closures (they have their own "
                       "resource)."})

    @validates_schema
    def _intervals_in_order(self, data: dict[str, Any], **kwargs: object) -> None:
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
    """An office as listed to residents (``list_offices``): its services resolved."""

    services = fields.List(fields.Nested(OfferedServiceSchema), required=True)


class VersionedSchema(Schema):
    """What an administrator sees beyond the public fields: the version and whether active."""

    version = fields.Integer(metadata={"description": "Also the entry's ETag."})
    active = fields.Boolean(metadata={"description": "False once deactivated (never deleted)."})


class AdminOfficeSchema(OfficeSchema, VersionedSchema):
    """An office as tenant administrators edit it."""


class AdminServiceSchema(OfferedServiceSchema, VersionedSchema):
    """An offered service as tenant administrators edit it."""


class CatalogueSchema(Schema):
    """Every office and service of a tenant, deactivated ones too (``list_catalogue``)."""

    offices = fields.List(fields.Nested(AdminOfficeSchema), required=True)
    services = fields.List(fields.Nested(AdminServiceSchema), required=True)


class ClosuresSchema(Schema):
    """The days an office is closed, with the office's version (``list_closures``)."""

    version = fields.Integer(required=True)
    closures = fields.List(fields.Nested(ClosureSchema), required=True)


class ActorSchema(Schema):
    """Who makes a catalogue change (from the gateway's staff authentication)."""

    subject = fields.String(required=True, validate=validate.Length(min=1, max=100))
    role = fields.String(required=True, validate=validate.Length(min=1, max=40))
    # The staff member's display name (the sign-in's `name` claim), for audit trails.
    name = fields.String(validate=validate.Length(max=200))


class CatalogueChangeSchema(Schema):
    """One entry of the catalogue's audit trail."""

    id = fields.String()
    entity = fields.String(metadata={"description": "office or service"})
    entity_id = fields.String()
    action = fields.String(metadata={
        "description": "created, replaced, closure_added, closure_removed, deactivated"})
    version_before = fields.Integer(allow_none=True)
    version_after = fields.Integer()
    actor = fields.Nested(ActorSchema)
    at = Instant()
