# SPDX-License-Identifier: EUPL-1.2
"""What the notifications service answers: messages with their state history, kinds, previews.

A message is about one thing (``about``: a booking, a lottery entry, an application, an
erasure request) and goes to one recipient by one channel. What a resident or a case worker
sees names the message's subject line; what an operator sees names no person at all.
"""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..common import Instant, TextSchema

CHANNELS = ("email", "sms")
# GOV.UK Notify's states, plus what Loket adds: a relay that accepted it (``accepted``), a
# relay's later report (``delivered``, ``bounced``) and a message it decided not to send
# (``not_sent``: no address, the resident chose post, no consent).
MESSAGE_STATES = ("queued", "sending", "accepted", "delivered", "bounced",
                  "temporary_failure", "permanent_failure", "not_sent")
FINAL_STATES = ("accepted", "delivered", "bounced", "permanent_failure", "not_sent")
ABOUT_KINDS = ("booking", "lottery_entry", "application", "erasure")
KINDS = ("booking_confirmed", "booking_moved", "booking_cancelled", "booking_reminder",
         "lottery_entered", "lottery_result", "permit_submitted",
         "permit_information_requested", "permit_status_changed", "permit_decided",
         "erasure_completed", "case_assigned")
AUDIENCES = ("resident", "staff")


class AboutSchema(Schema):
    """What a message is about: ``kind`` (``ABOUT_KINDS``) and that thing's id or reference."""

    kind = fields.String(required=True, validate=validate.OneOf(ABOUT_KINDS))
    id = fields.String(required=True, validate=validate.Length(min=1, max=100))


class StateChangeSchema(Schema):
    """One step of a message's history.

    ``detail`` is a code (``smtp 421``, ``timeout``, ``5.1.1``, ``no_address``), never a
    server's free text (it may quote the address).
    """

    state = fields.String(required=True, validate=validate.OneOf(MESSAGE_STATES))
    at = Instant(required=True)
    relay = fields.String(allow_none=True, metadata={"description": "The relay's id, if any."})
    detail = fields.String(allow_none=True)


class MessageStatusSchema(Schema):
    """A message without its content: what an operator and a status page may see."""

    id = fields.String(required=True)
    tenant = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    about = fields.Nested(AboutSchema, required=True)
    state = fields.String(required=True, validate=validate.OneOf(MESSAGE_STATES))
    created_at = Instant(required=True)
    updated_at = Instant(required=True)
    attempts = fields.Integer(required=True, metadata={
        "description": "Tries so far (each may have gone to several relays)."})
    next_try_at = Instant(allow_none=True, metadata={
        "description": "When a temporary failure is tried again."})
    last_detail = fields.String(allow_none=True)


class MessageSchema(MessageStatusSchema):
    """A message as its recipient (and, logged, a case worker) sees it."""

    language = fields.String(allow_none=True)
    subject_line = fields.String(allow_none=True, metadata={
        "description": "The email's subject; null once the content is deleted (retention)."})
    content_kept_until = Instant(allow_none=True)
    history = fields.List(fields.Nested(StateChangeSchema), required=True)


class CaseMessagesSchema(Schema):
    """What was sent about an application, for its case worker (``messages_about``)."""

    messages = fields.List(fields.Nested(MessageSchema), required=True)
    address_bounced = fields.Boolean(required=True, metadata={
        "description": "The applicant's email address bounced (a relay's report)."})


class StateCountsSchema(Schema):
    """Messages per state (``message_counts``); ``tenant`` null: every tenant."""

    tenant = fields.String(allow_none=True)
    counts = fields.Dict(keys=fields.String(validate=validate.OneOf(MESSAGE_STATES)),
                         values=fields.Integer(), required=True)


class FailedPageSchema(Schema):
    """A page of permanent failures, oldest first (``failed_messages``)."""

    items = fields.List(fields.Nested(MessageStatusSchema), required=True)
    next = fields.String(allow_none=True, metadata={
        "description": "Cursor of the next page (pass as ``after``), null on the last."})


class KindSchema(Schema):
    """A kind of message and whether the tenant sends it (``list_kinds``)."""

    id = fields.String(required=True, validate=validate.OneOf(KINDS))
    audience = fields.String(required=True, validate=validate.OneOf(AUDIENCES))
    enabled = fields.Boolean(required=True)
    title = fields.Nested(TextSchema, required=True)
    description = fields.Nested(TextSchema, required=True)


class KindSwitchSchema(Schema):
    """``set_kind_enabled``'s arguments as the gateway takes them."""

    enabled = fields.Boolean(required=True)


class PreviewSchema(Schema):
    """One template rendered with sample data (``preview_templates``)."""

    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    language = fields.String(required=True)
    subject = fields.String(required=True)
    text = fields.String(required=True)
    html = fields.String(required=True)
    attachments = fields.List(fields.String(), required=True, metadata={
        "description": "File names of the attachments (e.g. termin.ics)."})


class DeliveryReportSchema(Schema):
    """A relay's delivery status notification (RFC 3464) for one message and recipient."""

    message_id = fields.String(required=True, validate=validate.Length(min=1, max=100))
    action = fields.String(required=True, validate=validate.OneOf(
        ("failed", "delayed", "delivered", "relayed", "expanded")))
    status = fields.String(required=True, validate=validate.Regexp(r"^[245]\.\d{1,3}\.\d{1,3}$"))
    recipient = fields.String(load_default=None, allow_none=True,
                              validate=validate.Length(max=254))
