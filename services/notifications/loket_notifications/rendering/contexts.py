# SPDX-License-Identifier: EUPL-1.2
"""What each kind's templates are given: the context the dispatcher builds, per kind.

The shapes are the owning services' ``*_for_notification`` answers (COMMON.md). Datetimes
may be ISO strings or datetimes; they are shown in the office's time zone (``time_zone`` or
``timezone``, else Europe/Berlin). ``samples.py`` holds one context of each kind in exactly
this shape; the tests render every kind from it, so a template cannot use a key the
dispatcher does not send (StrictUndefined).
"""
# No ``from __future__ import annotations``: TypedDict must see NotRequired at class creation
# (``__optional_keys__``, which the renderer reads).
from datetime import date, datetime
from typing import Any, Literal, NotRequired, TypedDict

Instant = str | datetime
Text = dict[str, str]  # {"de": ..., "en": ...}


class Recipient(TypedDict):
    """Who the message goes to (the name only; the address is the dispatcher's)."""

    name: str | None


class Address(TypedDict):
    """An office's postal address."""

    street: str
    postal_code: str
    city: str


class Office(TypedDict):
    """A citizens' office."""

    id: str
    name: Text
    address: Address
    time_zone: NotRequired[str]  # IANA; the catalogue's BookingDetailsSchema calls it timezone
    timezone: NotRequired[str]
    accessibility: NotRequired[Text]


class Service(TypedDict):
    """A bookable service."""

    id: str
    name: Text
    fee_cents: NotRequired[int]
    duration_minutes: NotRequired[int]
    required_documents: NotRequired[list[Text]]


class Contact(TypedDict):
    """The booking's contact (decrypted by appointments; null fields for a walk-in)."""

    name: str | None
    email: str | None
    language: str | None


class Booking(TypedDict):
    """``appointments.booking_for_notification``."""

    reference: str
    state: str  # booked | cancelled | ...
    start: Instant
    end: Instant
    language: str | None
    tenant: str
    office: Office
    service: Service
    contact: Contact
    subject: str | None
    cancelled_by: Literal["resident", "office"] | None
    cancellation_reason: str | None  # the office's, in its words


class LotteryEntry(TypedDict):
    """``appointments.lottery_entry_for_notification``."""

    reference: str
    state: Literal["pending", "allocated", "not_allocated"]
    reason: str | None  # not_allocated: no_slot_left | booking_limit_reached
    day: str  # YYYY-MM-DD
    draw_at: Instant
    service: Service
    office: Office | None
    contact: Contact
    subject: str | None
    booking: Booking | None  # allocated only


class InformationField(TypedDict):
    """A form field the case worker asks to fill in again."""

    name: str
    label: Text


class InformationRequest(TypedDict):
    """The case worker's request for information."""

    message: str
    fields: list[InformationField]
    answer_by: str | date  # YYYY-MM-DD


class Decision(TypedDict):
    """The outcome of an application."""

    outcome: Literal["approved", "rejected"]
    reason: str | None
    decided_at: Instant


class Applicant(TypedDict):
    """The applicant, pseudonymous."""

    subject: str
    language: str | None


class Application(TypedDict):
    """``permits.application_for_notification``."""

    id: str
    reference: str
    type_id: str
    type_name: Text
    state: str
    applicant: Applicant
    fee_cents: int | None
    submitted_at: Instant | None
    due_at: Instant | None
    information_request: InformationRequest | None
    decision: Decision | None
    next_step: Text | None
    assigned_to: str | None


class Base(TypedDict):
    """Every kind: the recipient (may be None) and the language to write in."""

    recipient: Recipient | None
    language: str


class BookingConfirmed(Base):
    """``booking_confirmed``, ``booking_reminder``: ``manage_url`` opens the booking.

    ``manage_url`` None (its token could not be opened) leaves the link out. The dispatcher
    may send ``previous_start`` and ``cancelled_by`` (None) with every booking kind.
    """

    booking: Booking
    manage_url: str | None


class BookingMoved(BookingConfirmed):
    """``booking_moved``: also the time it had before (None: not told)."""

    previous_start: Instant | None


class BookingCancelled(Base):
    """``search_url`` (optional): where to book again; else the tenant's public URL."""

    booking: Booking
    manage_url: None
    cancelled_by: Literal["resident", "office"] | None  # None: booking.cancelled_by, if any
    search_url: NotRequired[str | None]


class Lottery(Base):
    """``lottery_entered``, ``lottery_result``.

    ``manage_url`` when allocated, ``search_url`` (other times) when not.
    """

    entry: LotteryEntry
    status_url: str | None  # None: its token could not be opened
    manage_url: NotRequired[str | None]
    search_url: NotRequired[str | None]


class Permit(Base):
    """``permit_submitted``, ``permit_information_requested``, ``permit_decided``."""

    application: Application
    status_url: str  # /<lang>/permits/applications/<id>


# ``permit_status_changed`` also has "from" and "to" (states), which a class cannot spell.
PermitStatusChanged = TypedDict("PermitStatusChanged", {
    "recipient": Recipient | None, "language": str, "application": Application,
    "status_url": str, "from": str | None, "to": str})


class ErasureCompleted(Base):
    """``erasure_completed``: when the erasure finished (None: not told)."""

    completed_at: Instant | None


class CaseAssigned(Base):
    """Staff: ``case_url`` is the case's page (``/<lang>/staff/cases/<id>``)."""

    application: Application
    case_url: str


CONTEXTS: dict[str, Any] = {
    "booking_confirmed": BookingConfirmed,
    "booking_moved": BookingMoved,
    "booking_cancelled": BookingCancelled,
    "booking_reminder": BookingConfirmed,
    "lottery_entered": Lottery,
    "lottery_result": Lottery,
    "permit_submitted": Permit,
    "permit_information_requested": Permit,
    "permit_status_changed": PermitStatusChanged,
    "permit_decided": Permit,
    "erasure_completed": ErasureCompleted,
    "case_assigned": CaseAssigned,
}
# Which thing a kind is about (the footer says why the recipient gets the message).
ABOUT = {
    "booking_confirmed": "booking", "booking_moved": "booking", "booking_cancelled": "booking",
    "booking_reminder": "booking", "lottery_entered": "lottery", "lottery_result": "lottery",
    "permit_submitted": "permit", "permit_information_requested": "permit",
    "permit_status_changed": "permit_updates", "permit_decided": "permit",
    "erasure_completed": "erasure", "case_assigned": "staff",
}
# The keys of the context that are links the message shows (written out in the text part).
LINK_KEYS = ("manage_url", "status_url", "search_url", "case_url")
