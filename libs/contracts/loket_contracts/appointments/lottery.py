# SPDX-License-Identifier: EUPL-1.2
"""The fair release (lottery) over RPC: an entry in (service, office, contact), its status out."""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from ..common import SLUG, Day, Instant
from .schemas import ContactFormSchema, ContactSchema

ENTRY_STATES = ("pending", "allocated", "not_allocated")


class EntryFormSchema(ContactFormSchema):
    """An entry for the open release of a lottery service: one per person and release."""

    service_id = fields.String(required=True, validate=SLUG)
    office_id = fields.String(load_default=None, allow_none=True, validate=SLUG, metadata={
        "description": "The office you want; omit for any office."})


class EntryRequestSchema(EntryFormSchema, ContactSchema):
    """The entry ``enter_lottery`` loads: the form plus the gateway's ``subject``."""


class AllocatedSchema(Schema):
    """The booking an entry won (its manage link arrives by email)."""

    reference = fields.String(attribute="booking_reference")
    office_id = fields.String(attribute="booking.office_id")
    start = Instant(attribute="booking.start")
    end = Instant(attribute="booking.end")


class EntrySchema(Schema):
    """An entry as its applicant sees it."""

    reference = fields.String()
    state = fields.String(validate=validate.OneOf(ENTRY_STATES),
                          metadata={"description": ", ".join(ENTRY_STATES)})
    service_id = fields.String()
    day = fields.String()
    office_id = fields.String(allow_none=True)
    draw_at = Instant()
    language = fields.String()
    reason = fields.String(allow_none=True, metadata={
        "description": "Why nothing was allocated: no_slot_left, booking_limit_reached."})
    booking = fields.Method("_booking", metadata={
        "description": "allocated only: reference, office_id, start, end (AllocatedSchema)."})

    def _booking(self, entry: dict[str, Any]) -> dict[str, Any] | None:
        if entry.get("state") != "allocated":
            return None
        if "booking_reference" not in entry:  # dumped already (the gateway dumps it again)
            return entry.get("booking")
        return AllocatedSchema().dump(entry)


class EnteredSchema(Schema):
    """An accepted entry (``enter_lottery``): the status token is the only key to the result."""

    entry = fields.Nested(EntrySchema, required=True)
    status_token = fields.String(required=True)


class ReleaseSchema(Schema):
    """A service's latest release: when it opened, and (lottery) when it is drawn."""

    service_id = fields.String()
    mode = fields.String(metadata={"description": "first_come or lottery"})
    state = fields.String(metadata={
        "description": "open (entries taken until draw_at), drawing (window closed, draw "
                       "under way), drawn, or first_come"})
    day = Day(metadata={"description": "The day this release opens."})
    opened_at = Instant()
    draw_at = Instant(allow_none=True, metadata={
        "description": "Lottery only: when the window closes and the draw runs."})
