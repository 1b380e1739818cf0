# SPDX-License-Identifier: EUPL-1.2
"""The contract of the tenant admins' catalogue API (offices, services, closures).

The gateway checks the shape; the appointments service validates the rest
(time zones, the 5-minute grid, opening intervals, references between entries).
"""
from marshmallow import Schema, fields, validate

from ..core.api_schemas import AddressSchema, TextSchema

CLOCK_INTERVAL = fields.List(fields.String(), validate=validate.Length(equal=2),
                             metadata={"description": '["08:00", "12:00"] (local time)'})


class BookingPolicySchema(Schema):
    """When slots are released and how many one person may book."""

    release_days_ahead = fields.Integer(metadata={"description": "Slots are released this many "
                                                                 "days ahead (default 28)."})
    release_time = fields.String(metadata={"description": "HH:MM at which a new day is "
                                                          "released (default 07:00)."})
    min_lead_minutes = fields.Integer(metadata={"description": "No slot sooner than this "
                                                              "(default 60)."})
    max_active_bookings_per_person = fields.Integer(metadata={"description": "Default 1."})
    release_mode = fields.String(metadata={"description": "first_come (default) or lottery."})
    lottery_window_minutes = fields.Integer(metadata={
        "description": "With a lottery: minutes to enter before the draw (default 60)."})


class ServiceRequestSchema(Schema):
    """An offered service as a whole (PUT replaces every field)."""

    id = fields.String(metadata={"description": "Optional; must equal the path's id."})
    name = fields.Nested(TextSchema, required=True)
    description = fields.Nested(TextSchema, required=True,
                                metadata={"description": "Plain language."})
    duration_minutes = fields.Integer(required=True,
                                      metadata={"description": "A multiple of 5, 5 to 240."})
    fee_cents = fields.Integer(required=True)
    required_documents = fields.List(fields.Nested(TextSchema))
    booking_policy = fields.Nested(BookingPolicySchema)


class CounterSchema(Schema):
    """A counter and the services it serves (each offered by the office)."""

    id = fields.String(required=True)
    name = fields.Nested(TextSchema, required=True)
    service_ids = fields.List(fields.String(), required=True)


class ClosureSchema(Schema):
    """A day the office is closed."""

    date = fields.String(required=True, metadata={"description": "YYYY-MM-DD"})
    reason = fields.Nested(TextSchema, required=True)


class OfficeRequestSchema(Schema):
    """An office as a whole (PUT replaces every field; closures only when given)."""

    id = fields.String(metadata={"description": "Optional; must equal the path's id."})
    name = fields.Nested(TextSchema, required=True)
    address = fields.Nested(AddressSchema, required=True)
    accessibility = fields.Nested(TextSchema, required=True)
    timezone = fields.String(metadata={"description": "IANA name (default Europe/Berlin)."})
    service_ids = fields.List(fields.String(), required=True,
                              metadata={"description": "Existing, active services."})
    counters = fields.List(fields.Nested(CounterSchema))
    opening_hours = fields.Dict(keys=fields.String(), values=fields.List(CLOCK_INTERVAL),
                                metadata={"description": "mon..sun -> ordered intervals."})
    closures = fields.List(fields.Nested(ClosureSchema), metadata={
        "description": "Omit to keep the office's closures (they have their own resource)."})


class VersionedSchema(Schema):
    """The version (also the ETag) and whether the entry is offered."""

    version = fields.Integer(required=True)
    active = fields.Boolean(required=True)


class AdminServiceSchema(ServiceRequestSchema, VersionedSchema):
    """An offered service as stored."""


class AdminOfficeSchema(OfficeRequestSchema, VersionedSchema):
    """An office as stored."""


class ClosuresSchema(Schema):
    """The days an office is closed, with the office's version."""

    version = fields.Integer(required=True)
    closures = fields.List(fields.Nested(ClosureSchema), required=True)


class CatalogueSchema(Schema):
    """Every office and service of a tenant, deactivated ones too."""

    offices = fields.List(fields.Nested(AdminOfficeSchema), required=True)
    services = fields.List(fields.Nested(AdminServiceSchema), required=True)


class ActorSchema(Schema):
    """Who made a change: the staff member's pseudonym, display name and role."""

    subject = fields.String(required=True)
    role = fields.String(required=True)
    # The staff member's display name (the sign-in's `name` claim), for audit trails.
    name = fields.String()


class CatalogueChangeSchema(Schema):
    """One entry of the catalogue's audit trail."""

    id = fields.String(required=True)
    entity = fields.String(required=True, metadata={"description": "office or service"})
    entity_id = fields.String(required=True)
    action = fields.String(required=True, metadata={
        "description": "created, replaced, closure_added, closure_removed, deactivated"})
    version_before = fields.Integer(allow_none=True)
    version_after = fields.Integer(required=True)
    actor = fields.Nested(ActorSchema, required=True)
    at = fields.String(required=True)


class ChangesQuerySchema(Schema):
    """How many changes to list."""

    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))
