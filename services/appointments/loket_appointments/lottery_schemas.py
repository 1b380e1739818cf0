# SPDX-License-Identifier: EUPL-1.2
"""The lottery's edge: an entry in (service, office or any, contact) and its status out."""
from marshmallow import Schema, fields

from .schemas import SLUG, ContactSchema


class EntryRequestSchema(ContactSchema):
    """A resident's entry for the open release of a service: only what a booking needs."""

    service_id = fields.String(required=True, validate=SLUG)
    office_id = fields.String(load_default=None, allow_none=True, validate=SLUG)


class AllocatedSchema(Schema):
    """The booking an entry won (its manage link arrives by email)."""

    reference = fields.String(attribute="booking_reference")
    office_id = fields.String(attribute="booking.office_id")
    start = fields.DateTime(attribute="booking.start")
    end = fields.DateTime(attribute="booking.end")


class EntrySchema(Schema):
    """An entry as its applicant sees it."""

    reference = fields.String()
    state = fields.String()
    service_id = fields.String()
    day = fields.String()
    office_id = fields.String(allow_none=True)
    draw_at = fields.DateTime()
    language = fields.String()
    reason = fields.String(allow_none=True)
    booking = fields.Method("_booking")

    def _booking(self, entry: dict) -> dict | None:
        return AllocatedSchema().dump(entry) if entry.get("state") == "allocated" else None


class ReleaseSchema(Schema):
    """A service's latest release: when it opened, and (lottery) when it is drawn."""

    service_id = fields.String()
    mode = fields.String()
    state = fields.String()
    day = fields.Date()
    opened_at = fields.DateTime()
    draw_at = fields.DateTime(allow_none=True)
