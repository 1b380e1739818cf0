# SPDX-License-Identifier: EUPL-1.2
"""The appointments API: slots, holds, bookings by manage link, iCalendar, counter staff.

Answers are dumped through the contract's schemas (:mod:`loket_contracts.appointments`);
see :mod:`..core.openapi` for how a route declares its request, answer and errors.
"""
from __future__ import annotations

from typing import Any

from flask import Response, current_app, request

from loket_contracts.appointments import schemas as contract
from loket_contracts.appointments.catalogue import OfficeWithServicesSchema
from loket_contracts.statistics.schemas import CounterTransactionSchema

from ..core.api_helpers import api_blueprint, request_secret
from ..core.errors import NoFreeSlot
from ..core.rate_limits import (
    BOOKING_ADDRESS_LIMIT,
    BOOKING_NETWORK_LIMIT,
    BOOKING_PERSON_LIMIT,
    CHALLENGE_LIMIT,
    HOLD_LIMIT,
    SEARCH_LIMIT,
    limit_address,
    limit_person,
)
from ..core.rpc import services
from ..core.tenants import tenant_url
from ..identity.access import current_actor, require_role
from ..identity.signed_in import api_resident_if_sent, holder_of, with_identity
from . import schemas
from .anti_bot.hold_guard import (
    client_key,
    confirmed,
    exempt_client,
    network_key,
    new_hold_challenge,
    person_key,
    proven_challenge_id,
    record_activity,
)
from .counter_tally import staff_actor
from .ics import booking_to_ics

blueprint = api_blueprint("appointments", __name__,
                          "Citizens' offices, free slots, holds and bookings")
staff = api_blueprint("counter_staff", __name__,
                      "The counter's day list, check-in, no-show, call next, walk-ins, "
                      "counted counter transactions")


def _manage_token() -> str:
    return request_secret("X-Manage-Token", "the secret of your manage link")


@blueprint.route("/tenants/<tenant>/offices", methods=["GET"],
                 summary="Citizens' offices and the services offered there")
@blueprint.response(200, OfficeWithServicesSchema(many=True), description="The offices")
def list_offices(tenant: str) -> Any:
    """Offices with services, from appointments."""
    with services() as rpc:
        return rpc.appointments.list_offices(tenant)


@blueprint.route("/tenants/<tenant>/slots", methods=["GET"],
                 summary="Free slots of a service, at one office or any, earliest first")
@blueprint.response(200, contract.SlotSchema(many=True), description="Free slots")
@limit_address(SEARCH_LIMIT, scope="search")
@blueprint.arguments(contract.SearchSchema, location="query")
def search_slots(query: dict[str, Any], tenant: str) -> Any:
    """Availability search."""
    with services() as rpc:
        return rpc.appointments.search_slots(tenant, _jsonable(query))


@blueprint.route("/tenants/<tenant>/slots/first", methods=["GET"],
                 summary="The first free slot of a service across offices",
                 refuses={404: "Unknown municipality or service, or no free slot"})
@blueprint.response(200, contract.SlotSchema, description="The first free slot")
@limit_address(SEARCH_LIMIT, scope="search")
@blueprint.arguments(contract.SearchSchema, location="query")
def first_free_slot(query: dict[str, Any], tenant: str) -> Any:
    """The earliest free slot."""
    with services() as rpc:
        slots = rpc.appointments.search_slots(tenant, _jsonable({**query, "limit": 1}))
    if not slots:
        raise NoFreeSlot(
            "No slot is free in the released period; new slots are released daily.")
    return slots[0]


@blueprint.route("/tenants/<tenant>/contact-fields", methods=["GET"],
                 summary="The personal data a booking asks for, and why", calls_services=False)
@blueprint.response(200, schemas.FieldWhySchema(many=True), description="Fields")
def contact_fields(tenant: str) -> Any:
    """Every requested field explains why it is needed."""
    return [{"name": name, "required": field.required, "why": field.metadata["why"]}
            for name, field in contract.ContactFormSchema().fields.items()]


@blueprint.route("/tenants/<tenant>/challenges", methods=["POST"],
                 summary="A proof-of-work challenge to solve before a hold",
                 calls_services=False)
@blueprint.response(201, schemas.ChallengeSchema,
                    description="Solve it (or wait until not_before) and send it with the hold")
@blueprint.alt_response(204, description="This municipality asks for no proof of work",
                        success=True)
@limit_address(CHALLENGE_LIMIT)
def new_challenge(tenant: str) -> Any:
    """Self-hosted proof of work (ALTCHA v1); nothing leaves the server."""
    challenge = new_hold_challenge(_registry(tenant))
    return (challenge, 201) if challenge else Response(status=204)


@blueprint.route("/tenants/<tenant>/holds", methods=["POST"],
                 summary="Hold a slot for a few minutes",
                 refuses={401: "The service needs a sign-in (identity_required), or the "
                               "access token is not valid",
                          403: "No valid proof of work, or it was used before; or the "
                               "sign-in's trust level is too low for the service",
                          409: "The slot is taken",
                          429: "Too many holds from this address"})
@blueprint.response(201, contract.HoldSchema, description="Held; confirm before expires_at")
@limit_address(HOLD_LIMIT, scope="hold")
@blueprint.arguments(schemas.HoldWithProofSchema)
def hold_slot(body: dict[str, Any], tenant: str) -> Any:
    """Place a hold (the slot's units are claimed atomically).

    A service with ``identity_required`` is held only with a resident's access token at
    that trust level (401 ``identity_required``, 403 ``trust_level_too_low``).
    """
    holder = holder_of(api_resident_if_sent(tenant))
    challenge_id = proven_challenge_id(_registry(tenant), body.get("pow_solution"),
                                       body.get("pow_token"))
    wanted = _jsonable({key: body[key] for key in ("service_id", "office_id", "start")})
    with services() as rpc:
        return rpc.appointments.hold_slot(tenant, wanted, client_key(tenant), challenge_id,
                                          holder), 201


@blueprint.route("/tenants/<tenant>/holds/<hold_id>", methods=["DELETE"],
                 summary="Let a hold go")
@blueprint.response(204, description="Released")
def release_hold(tenant: str, hold_id: str) -> Any:
    """The slot is free again at once."""
    with services() as rpc:
        rpc.appointments.release_hold(tenant, hold_id)
    return Response(status=204)


@blueprint.route("/tenants/<tenant>/holds/<hold_id>/confirmation", methods=["POST"],
                 summary="Confirm a hold with the contact data",
                 refuses={401: "An access token was sent but is not valid, or the service "
                               "needs one (identity_required)",
                          403: "Another person's hold, or the trust level is too low",
                          409: "The hold expired or the booking limit is reached",
                          429: "Too many bookings for this person, address or network"})
@blueprint.response(201, schemas.ConfirmedWithLinksSchema,
                    description="Booked; keep the manage link")
@limit_person(person_key, BOOKING_PERSON_LIMIT, scope="booking-person")
@limit_address(BOOKING_ADDRESS_LIMIT, scope="booking-address", deduct_when=confirmed,
               exempt_when=exempt_client)
@limit_person(network_key, BOOKING_NETWORK_LIMIT, scope="booking-network",
              deduct_when=confirmed, exempt_when=exempt_client)
@blueprint.arguments(contract.ContactFormSchema)
def confirm_hold(contact: dict[str, Any], tenant: str, hold_id: str) -> Any:
    """Turn a hold into a booking (bound to the signed-in person if the service says so)."""
    resident = api_resident_if_sent(tenant)  # signed in: the booking is theirs
    with services() as rpc:
        booked = rpc.appointments.confirm_hold(tenant, hold_id,
                                               with_identity(contact, resident))
    record_activity(_registry(tenant))
    reference, token = booked["booking"]["reference"], booked["manage_token"]
    booked["manage_url"] = _manage_url(tenant, reference, token, contact["language"])
    booked["calendar_url"] = tenant_url(tenant, "appointments.booking_calendar",
                                        tenant=tenant, reference=reference, token=token)
    return booked, 201


@blueprint.route("/tenants/<tenant>/bookings/<reference>", methods=["GET"],
                 summary="My booking (by its manage link)", security="manageToken")
@blueprint.response(200, contract.BookingDetailsSchema, description="The booking")
def get_booking(tenant: str, reference: str) -> Any:
    """The booking with office and service."""
    with services() as rpc:
        return rpc.appointments.booking_details(tenant, reference, _manage_token())


@blueprint.route("/tenants/<tenant>/bookings/<reference>", methods=["DELETE"],
                 summary="Cancel my booking", security="manageToken",
                 refuses={401: "The booking is bound to its person: send their access token",
                          403: "The booking is bound to another person"})
@blueprint.response(200, contract.BookingSchema, description="Cancelled")
def cancel_booking(tenant: str, reference: str) -> Any:
    """Cancel; the slot is free again at once (a bound booking: only by its person)."""
    holder = holder_of(api_resident_if_sent(tenant))
    with services() as rpc:
        return rpc.appointments.cancel_booking(tenant, reference, _manage_token(), holder)


@blueprint.route("/tenants/<tenant>/bookings/<reference>/reschedule", methods=["POST"],
                 summary="Move my booking to another slot", security="manageToken",
                 refuses={401: "The booking is bound to its person: send their access token",
                          403: "The booking is bound to another person",
                          409: "The new slot is taken"})
@blueprint.response(200, contract.BookingSchema, description="Moved")
@blueprint.arguments(schemas.RescheduleSchema)
def reschedule_booking(body: dict[str, Any], tenant: str, reference: str) -> Any:
    """The new slot is taken before the old one is freed (a bound booking stays bound)."""
    holder = holder_of(api_resident_if_sent(tenant))
    with services() as rpc:
        return rpc.appointments.reschedule_booking(tenant, reference, _manage_token(), body,
                                                   holder)


@blueprint.route("/tenants/<tenant>/bookings/<reference>/calendar.ics", methods=["GET"],
                 summary="My booking as iCalendar (RFC 5545)", security="manageToken")
@blueprint.response(200, description="The booking as text/calendar",
                    content_type="text/calendar")
def booking_calendar(tenant: str, reference: str) -> Any:
    """Download the booking for a calendar app."""
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

@staff.route("/tenants/<tenant>/offices/<office_id>/day-list", methods=["GET"],
             summary="The day list of an office (counter staff)", security="staffToken")
@staff.response(200, contract.DayListEntrySchema(many=True), description="Bookings of the day")
@require_role("counter_staff")
@staff.arguments(schemas.DayListQuerySchema, location="query")
def day_list(query: dict[str, Any], tenant: str, office_id: str) -> Any:
    """Bookings at the office on a day."""
    with services() as rpc:
        return rpc.appointments.day_list(tenant, office_id, query["date"].isoformat(),
                                         query.get("counter_id"), current_actor())


@staff.route("/tenants/<tenant>/bookings/<reference>/check-in", methods=["POST"],
             summary="Check a resident in (counter staff)", security="staffToken")
@staff.response(200, contract.BookingSchema, description="Checked in")
@require_role("counter_staff")
def check_in(tenant: str, reference: str) -> Any:
    """The resident arrived."""
    with services() as rpc:
        return rpc.appointments.check_in(tenant, reference, current_actor())


@staff.route("/tenants/<tenant>/bookings/<reference>/no-show", methods=["POST"],
             summary="Mark a no-show (counter staff)", security="staffToken")
@staff.response(200, contract.BookingSchema, description="Marked")
@require_role("counter_staff")
def no_show(tenant: str, reference: str) -> Any:
    """The resident did not come."""
    with services() as rpc:
        return rpc.appointments.mark_no_show(tenant, reference, current_actor())


@staff.route("/tenants/<tenant>/offices/<office_id>/counters/<counter_id>/call-next",
             methods=["POST"], security="staffToken",
             summary="Call the next checked-in resident to a counter (counter staff)")
@staff.response(200, contract.DayListEntrySchema, description="Called")
@staff.alt_response(204, description="Nobody waiting", success=True)
@require_role("counter_staff")
def call_next(tenant: str, office_id: str, counter_id: str) -> Any:
    """Who is next."""
    with services() as rpc:
        called = rpc.appointments.call_next(tenant, office_id, counter_id, current_actor())
    return called if called else Response(status=204)


@staff.route("/tenants/<tenant>/offices/<office_id>/walk-ins", methods=["POST"],
             summary="Book for someone at the counter (counter staff)", security="staffToken")
@staff.response(201, contract.BookingSchema, description="Booked")
@require_role("counter_staff")
@staff.arguments(schemas.WalkInSchema)
def walk_in(body: dict[str, Any], tenant: str, office_id: str) -> Any:
    """A walk-in booking."""
    with services() as rpc:
        booked = rpc.appointments.book_walk_in(
            tenant, {"office_id": office_id, "service_id": body["service_id"],
                     "start": body["start"]}, body["name"])
    return booked, 201


@staff.route("/tenants/<tenant>/counter-transactions", methods=["POST"],
             summary="Count a finished counter transaction with no Loket case (counter staff)",
             security="staffToken")
@staff.response(201, CounterTransactionSchema, description="Counted")
@require_role("counter_staff")
@staff.arguments(CounterTransactionSchema)
def count_counter_transaction(body: dict[str, Any], tenant: str) -> Any:
    """Process and channel (default counter) for the statistics; nothing about the person."""
    with services() as rpc:
        counted = rpc.statistics.record_counter_transaction(tenant, body,
                                                            staff_actor(current_actor()))
    return counted, 201


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
    return tenant_url(registry_tenant, "booking.manage_booking", lang=language,
                      reference=reference, token=token)
