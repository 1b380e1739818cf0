# SPDX-License-Identifier: EUPL-1.2
"""The public contract of the fair-release (lottery) API."""
from marshmallow import Schema, fields, validate

from loket_contracts.appointments.schemas import ContactFormSchema as ContactSchema
from loket_contracts.common import SLUG


class ReleaseSchema(Schema):
    """A service's latest release."""

    service_id = fields.String(required=True)
    mode = fields.String(required=True, metadata={"description": "first_come or lottery"})
    state = fields.String(required=True, metadata={
        "description": "open (entries taken until draw_at), drawing (window closed, draw "
                       "under way), drawn, or first_come"})
    day = fields.String(required=True, metadata={"description": "The day this release opens."})
    opened_at = fields.String(required=True)
    draw_at = fields.String(allow_none=True, metadata={
        "description": "Lottery only: when the window closes and the draw runs."})


class EntryRequestSchema(ContactSchema):
    """An entry for the open release of a lottery service: one per person and release."""

    service_id = fields.String(required=True, validate=SLUG)
    office_id = fields.String(allow_none=True, validate=SLUG, metadata={
        "description": "The office you want; omit for any office."})


class AllocatedSchema(Schema):
    """The appointment an entry won; the manage link arrives by email."""

    reference = fields.String()
    office_id = fields.String()
    start = fields.String()
    end = fields.String()


class EntrySchema(Schema):
    """A lottery entry as its applicant sees it."""

    reference = fields.String(required=True)
    state = fields.String(required=True, validate=validate.OneOf(
        ["pending", "allocated", "not_allocated"]))
    service_id = fields.String()
    day = fields.String()
    office_id = fields.String(allow_none=True)
    draw_at = fields.String()
    language = fields.String()
    reason = fields.String(allow_none=True, metadata={
        "description": "Why nothing was allocated: no_slot_left, booking_limit_reached."})
    booking = fields.Nested(AllocatedSchema, allow_none=True)


class EnteredSchema(Schema):
    """An accepted entry: keep the status token, it is the only key to the result."""

    entry = fields.Nested(EntrySchema, required=True)
    status_token = fields.String(required=True)
    status_url = fields.String(required=True)
