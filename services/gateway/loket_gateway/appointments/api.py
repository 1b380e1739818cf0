# SPDX-License-Identifier: EUPL-1.2
"""The appointments API: slots, holds, bookings by manage link, iCalendar, counter staff."""
from __future__ import annotations

from flask import Response, current_app, jsonify, request, url_for

from ..core import api_schemas
from ..core.api_helpers import api_blueprint, json_body, known_tenant, query_args, request_secret
from ..core.errors import NoFreeSlot
from ..core.openapi import operation
from ..core.rate_limits import (
    BOOKING_PERSON_LIMIT,
    CHALLENGE_LIMIT,
    HOLD_LIMIT,
    SEARCH_LIMIT,
    limit_address,
    limit_person,
)
from ..core.rpc import services
from ..identity.access import current_actor, require_role
from ..identity.signed_in import api_resident_if_sent, with_subject
from . import schemas
from .anti_bot.hold_guard import client_key, new_hold_challenge, person_key, proven_challenge_id
from .ics import booking_to_ics

blueprint = api_blueprint("appointments_api", __name__)

TAGS = ("appointments",)
STAFF_TAGS = ("appointments: counter staff",)


def _manage_token() -> str:
    return request_secret("X-Manage-Token", "the secret of your manage link")


@blueprint.get("/tenants/<tenant>/offices")
@operation("Citizens' offices and the services offered there",
           {200: ("The offices", api_schemas.OfficeSchema(many=True))}, tags=TAGS)
def list_offices(tenant: str):
    """Offices with services, from appointments."""
    tenant = known_tenant(tenant)
    with services() as rpc:
        offices = rpc.appointments.list_offices(tenant)
    return jsonify(api_schemas.OfficeSchema(many=True).dump(offices))


@blueprint.get("/tenants/<tenant>/slots")
@operation("Free slots of a service, at one office or any, earliest first",
           {200: ("Free slots", schemas.SlotSchema(many=True)),
            429: ("Too many searches from this address", None)},
           query=schemas.SlotQuerySchema, tags=TAGS)
@limit_address(SEARCH_LIMIT, scope="search")
def search_slots(tenant: str):
    """Availability search."""
    tenant = known_tenant(tenant)
    query = query_args(schemas.SlotQuerySchema())
    with services() as rpc:
        slots = rpc.appointments.search_slots(tenant, _jsonable(query))
    return jsonify(slots)


@blueprint.get("/tenants/<tenant>/slots/first")
@operation("The first free slot of a service across offices",
           {200: ("The first free slot", schemas.SlotSchema), 404: ("No free slot", None),
            429: ("Too many searches from this address", None)},
           query=schemas.SlotQuerySchema, tags=TAGS)
@limit_address(SEARCH_LIMIT, scope="search")
def first_free_slot(tenant: str):
    """The earliest free slot."""
    tenant = known_tenant(tenant)
    query = {**query_args(schemas.SlotQuerySchema()), "limit": 1}
    with services() as rpc:
        slots = rpc.appointments.search_slots(tenant, _jsonable(query))
    if not slots:
        raise NoFreeSlot(
            "No slot is free in the released period; new slots are released daily.")
    return jsonify(slots[0])


@blueprint.get("/tenants/<tenant>/contact-fields")
@operation("The personal data a booking asks for, and why",
           {200: ("Fields", schemas.FieldWhySchema(many=True))}, tags=TAGS)
def contact_fields(tenant: str):
    """Every requested field explains why it is needed."""
    known_tenant(tenant)
    return jsonify([{"name": name, "required": field.required, "why": field.metadata["why"]}
                    for name, field in schemas.ContactSchema().fields.items()])


@blueprint.post("/tenants/<tenant>/challenges")
@operation("A proof-of-work challenge to solve before a hold",
           {201: ("Solve it (or wait until not_before) and send it with the hold",
                  schemas.ChallengeSchema),
            204: ("This municipality asks for no proof of work", None),
            429: ("Too many challenges from this address", None)},
           tags=TAGS)
@limit_address(CHALLENGE_LIMIT)
def new_challenge(tenant: str):
    """Self-hosted proof of work (ALTCHA v1); nothing leaves the server."""
    challenge = new_hold_challenge(_registry(known_tenant(tenant)))
    return (jsonify(challenge), 201) if challenge else Response(status=204)


@blueprint.post("/tenants/<tenant>/holds")
@operation("Hold a slot for a few minutes",
           {201: ("Held; confirm before expires_at", schemas.HoldSchema),
            403: ("No valid proof of work, or it was used before", None),
            409: ("The slot is taken", None), 429: ("Too many holds", None)},
           request=schemas.HoldRequestSchema, tags=TAGS)
@limit_address(HOLD_LIMIT, scope="hold")
def hold_slot(tenant: str):
    """Place a hold (the slot's units are claimed atomically)."""
    tenant = known_tenant(tenant)
    body = json_body(schemas.HoldRequestSchema())
    challenge_id = proven_challenge_id(_registry(tenant), body.get("pow_solution"),
                                       body.get("pow_token"))
    wanted = {key: body[key] for key in ("service_id", "office_id", "start")}
    with services() as rpc:
        held = rpc.appointments.hold_slot(tenant, wanted, client_key(tenant), challenge_id)
    return jsonify(held), 201


@blueprint.delete("/tenants/<tenant>/holds/<hold_id>")
@operation("Let a hold go", {204: ("Released", None)}, tags=TAGS)
def release_hold(tenant: str, hold_id: str):
    """The slot is free again at once."""
    tenant = known_tenant(tenant)
    with services() as rpc:
        rpc.appointments.release_hold(tenant, hold_id)
    return Response(status=204)


@blueprint.post("/tenants/<tenant>/holds/<hold_id>/confirmation")
@operation("Confirm a hold with the contact data",
           {201: ("Booked; keep the manage link", schemas.ConfirmedSchema),
            401: ("An access token was sent but is not valid", None),
            409: ("The hold expired or the booking limit is reached", None),
            429: ("Too many bookings for this person", None)},
           request=schemas.ContactSchema, tags=TAGS)
@limit_person(person_key, BOOKING_PERSON_LIMIT, scope="booking-person")
def confirm_hold(tenant: str, hold_id: str):
    """Turn a hold into a booking."""
    tenant = known_tenant(tenant)
    resident = api_resident_if_sent(tenant)  # signed in: the booking is theirs
    contact = json_body(schemas.ContactSchema())
    with services() as rpc:
        confirmed = rpc.appointments.confirm_hold(tenant, hold_id,
                                                  with_subject(contact, resident))
    reference, token = confirmed["booking"]["reference"], confirmed["manage_token"]
    confirmed["manage_url"] = _manage_url(tenant, reference, token, contact["language"])
    confirmed["calendar_url"] = url_for("appointments_api.booking_calendar", tenant=tenant,
                                        reference=reference, token=token, _external=True)
    return jsonify(confirmed), 201


@blueprint.get("/tenants/<tenant>/bookings/<reference>")
@operation("My booking (by its manage link)", {200: ("The booking", schemas.BookingDetailsSchema),
                                              401: ("No manage token", None)},
           tags=TAGS, security="manageToken")
def get_booking(tenant: str, reference: str):
    """The booking with office and service."""
    tenant = known_tenant(tenant)
    with services() as rpc:
        return jsonify(rpc.appointments.booking_details(tenant, reference, _manage_token()))


@blueprint.delete("/tenants/<tenant>/bookings/<reference>")
@operation("Cancel my booking", {200: ("Cancelled", schemas.BookingSchema)},
           tags=TAGS, security="manageToken")
def cancel_booking(tenant: str, reference: str):
    """Cancel; the slot is free again at once."""
    tenant = known_tenant(tenant)
    with services() as rpc:
        return jsonify(rpc.appointments.cancel_booking(tenant, reference, _manage_token()))


@blueprint.post("/tenants/<tenant>/bookings/<reference>/reschedule")
@operation("Move my booking to another slot", {200: ("Moved", schemas.BookingSchema),
                                               409: ("The new slot is taken", None)},
           request=schemas.RescheduleSchema, tags=TAGS, security="manageToken")
def reschedule_booking(tenant: str, reference: str):
    """The new slot is taken before the old one is freed."""
    tenant = known_tenant(tenant)
    token = _manage_token()  # the secret before the body: without it, 401
    body = json_body(schemas.RescheduleSchema())
    with services() as rpc:
        return jsonify(rpc.appointments.reschedule_booking(tenant, reference, token, body))


@blueprint.get("/tenants/<tenant>/bookings/<reference>/calendar.ics")
@operation("My booking as iCalendar (RFC 5545)", {200: ("text/calendar", None)},
           tags=TAGS, security="manageToken")
def booking_calendar(tenant: str, reference: str):
    """Download the booking for a calendar app."""
    tenant = known_tenant(tenant)
    token = _manage_token()
    with services() as rpc:
        booking = rpc.appointments.booking_details(tenant, reference, token)
    language = request.args.get("lang") or booking.get("language") or "de"
    registry_tenant = _registry(tenant)
    body = booking_to_ics(booking, language=language,
                          organizer_name=registry_tenant.name.get(language, tenant),
                          manage_url=_manage_url(tenant, booking["reference"], token,
                                                     language))
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="termin-{booking["reference"]}.ics"'})


# -- counter staff ----------------------------------------------------------------------

@blueprint.get("/tenants/<tenant>/offices/<office_id>/day-list")
@operation("The day list of an office (counter staff)",
           {200: ("Bookings of the day", schemas.DayListEntrySchema(many=True)),
            401: ("No staff token", None), 403: ("Not allowed", None)},
           query=schemas.DayListQuerySchema, tags=STAFF_TAGS, security="staffToken")
@require_role("counter_staff")
def day_list(tenant: str, office_id: str):
    """Bookings at the office on a day."""
    tenant = known_tenant(tenant)
    query = query_args(schemas.DayListQuerySchema())
    with services() as rpc:
        return jsonify(rpc.appointments.day_list(tenant, office_id, query["date"].isoformat(),
                                                 query.get("counter_id"), current_actor()))


@blueprint.post("/tenants/<tenant>/bookings/<reference>/check-in")
@operation("Check a resident in (counter staff)", {200: ("Checked in", schemas.BookingSchema)},
           tags=STAFF_TAGS, security="staffToken")
@require_role("counter_staff")
def check_in(tenant: str, reference: str):
    """The resident arrived."""
    with services() as rpc:
        return jsonify(rpc.appointments.check_in(known_tenant(tenant), reference, current_actor()))


@blueprint.post("/tenants/<tenant>/bookings/<reference>/no-show")
@operation("Mark a no-show (counter staff)", {200: ("Marked", schemas.BookingSchema)},
           tags=STAFF_TAGS, security="staffToken")
@require_role("counter_staff")
def no_show(tenant: str, reference: str):
    """The resident did not come."""
    with services() as rpc:
        return jsonify(rpc.appointments.mark_no_show(known_tenant(tenant), reference,
                                                     current_actor()))


@blueprint.post("/tenants/<tenant>/offices/<office_id>/counters/<counter_id>/call-next")
@operation("Call the next checked-in resident to a counter (counter staff)",
           {200: ("Called", schemas.DayListEntrySchema), 204: ("Nobody waiting", None)},
           tags=STAFF_TAGS, security="staffToken")
@require_role("counter_staff")
def call_next(tenant: str, office_id: str, counter_id: str):
    """Who is next."""
    with services() as rpc:
        called = rpc.appointments.call_next(known_tenant(tenant), office_id, counter_id,
                                            current_actor())
    return jsonify(called) if called else Response(status=204)


@blueprint.post("/tenants/<tenant>/offices/<office_id>/walk-ins")
@operation("Book for someone at the counter (counter staff)",
           {201: ("Booked", schemas.BookingSchema)}, request=schemas.WalkInSchema,
           tags=STAFF_TAGS, security="staffToken")
@require_role("counter_staff")
def walk_in(tenant: str, office_id: str):
    """A walk-in booking."""
    tenant = known_tenant(tenant)
    body = json_body(schemas.WalkInSchema())
    with services() as rpc:
        booked = rpc.appointments.book_walk_in(
            tenant, {"office_id": office_id, "service_id": body["service_id"],
                     "start": body["start"]}, body["name"])
    return jsonify(booked), 201


def _jsonable(query: dict) -> dict:
    return {key: value.isoformat() if hasattr(value, "isoformat") else value
            for key, value in query.items()}


def _registry(tenant: str):
    return current_app.extensions["loket_tenants"].get(tenant)


def _manage_url(tenant: str, reference: str, token: str, language: str) -> str:
    """The booking's manage link: the manage page, in the booking's language."""
    registry_tenant = _registry(tenant)
    if language not in registry_tenant.languages:
        language = registry_tenant.default_language
    return url_for("booking.manage_booking", lang=language, reference=reference, token=token,
                   _external=True)
