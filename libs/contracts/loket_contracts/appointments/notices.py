# SPDX-License-Identifier: EUPL-1.2
"""What the notifications service reads about a booking or a lottery entry, at send time.

``booking_for_notification`` and ``lottery_entry_for_notification`` answer with these: the
booking's (or entry's) facts with its office and service, and the decrypted contact, so a
message can be addressed and written in the resident's language. Reading them is a
machine's read for the resident, not a staff access (nothing is logged).
"""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..common import Instant, TextSchema
from .catalogue import AddressSchema
from .lottery import ENTRY_STATES
from .schemas import BookingSchema

CANCELLED_BY = ("resident", "office")
OFFICE_CANCEL_ROLES = ("counter_staff", "tenant_admin")


class NoticeContactSchema(Schema):
    """Whom to write to: null fields for a walk-in without email."""

    name = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    language = fields.String(allow_none=True, metadata={"description": "de or en."})


class NoticeOfficeSchema(Schema):
    """The office of a booking: name, address, accessibility and time zone."""

    id = fields.String()
    name = fields.Nested(TextSchema)
    address = fields.Nested(AddressSchema)
    accessibility = fields.Nested(TextSchema, allow_none=True)
    timezone = fields.String()
    time_zone = fields.String(attribute="timezone", dump_only=True,
                              metadata={"description": "The same as timezone (IANA)."})


class NoticeServiceSchema(Schema):
    """The booked service: name, duration, fee and what to bring."""

    id = fields.String()
    name = fields.Nested(TextSchema)
    duration_minutes = fields.Integer()
    fee_cents = fields.Integer()
    required_documents = fields.List(fields.Nested(TextSchema))
    documents = fields.List(fields.Nested(TextSchema), attribute="required_documents",
                            dump_only=True,
                            metadata={"description": "The same as required_documents."})
    identity_required = fields.String(allow_none=True)


class BookingNoticeSchema(BookingSchema):
    """A booking for a notification (``booking_for_notification``)."""

    tenant = fields.String()
    office = fields.Nested(NoticeOfficeSchema)
    service = fields.Nested(NoticeServiceSchema)
    contact = fields.Nested(NoticeContactSchema)
    subject = fields.String(allow_none=True)
    channel = fields.String(allow_none=True, metadata={"description": "online or counter."})
    cancelled_by = fields.String(allow_none=True, validate=validate.OneOf(CANCELLED_BY),
                                 metadata={"description": "resident or office (cancelled)."})
    cancellation_reason = fields.String(allow_none=True, metadata={
        "description": "The office's reason when it cancelled, else null."})
    cancelled_at = Instant(allow_none=True)


class EntryNoticeSchema(Schema):
    """A lottery entry for a notification (``lottery_entry_for_notification``)."""

    reference = fields.String()
    state = fields.String(validate=validate.OneOf(ENTRY_STATES))
    reason = fields.String(allow_none=True)
    day = fields.String()
    draw_at = Instant()
    language = fields.String(allow_none=True)
    tenant = fields.String()
    service = fields.Nested(NoticeServiceSchema, only=("id", "name"))
    office = fields.Nested(NoticeOfficeSchema, allow_none=True)
    contact = fields.Nested(NoticeContactSchema)
    subject = fields.String(allow_none=True)
    booking = fields.Nested(BookingNoticeSchema, allow_none=True, metadata={
        "description": "The booking won (allocated), else null."})


class OfficeCancelSchema(Schema):
    """Why the office cancels a booking (``cancel_booking_by_office``); told to the resident."""

    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))
