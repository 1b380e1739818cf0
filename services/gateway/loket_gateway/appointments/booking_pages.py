# SPDX-License-Identifier: EUPL-1.2
"""The resident's booking pages: choose a service and a time, confirm, manage the booking.

Plain HTML forms (POST, then 303 to the next page), so everything works without
JavaScript; ``proof-of-work.js`` only saves the wait before a hold. The manage link is
the booking's secret: it travels in the query (GET) or a hidden field (POST), and
``Referrer-Policy: no-referrer`` keeps it from leaking to other sites.
"""
from __future__ import annotations

import json
from datetime import date
from itertools import groupby
from typing import Any

from flask import g, redirect, render_template, request, url_for

from loket_contracts.appointments.schemas import ContactFormSchema

from ..core.json_input import strict_loads
from ..core.message_status import last_message
from ..core.page_helpers import (
    PageError,
    day_label,
    in_zone,
    load_form,
    offices_and_services,
    page_error,
    service_or_404,
    services,
)
from ..core.pages import pages_blueprint
from ..core.rate_limits import (
    BOOKING_ADDRESS_LIMIT,
    BOOKING_NETWORK_LIMIT,
    BOOKING_PERSON_LIMIT,
    HOLD_LIMIT,
    SEARCH_LIMIT,
    limit_address,
    limit_person,
)
from ..identity.access import page_resident
from ..identity.signed_in import holder_of, prefilled_contact, with_identity
from ..lottery.pages import lottery_release
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
from .bound_pages import SIGN_IN_CODES, needs_sign_in, sign_in_redirect, signed_in_enough

blueprint = pages_blueprint("booking", __name__)

# The contact form's fields are the contract's (name, email, language).
CONTACT_FIELDS = tuple(ContactFormSchema().fields)

SLOTS_SHOWN = 40


def _start_day() -> date | None:
    try:
        return date.fromisoformat(request.args.get("from", ""))
    except ValueError:
        return None


def _slot_days(service: dict, office_id: str | None, offices: dict[str, dict]) -> list:
    """Free slots grouped by day (in the office's zone), at most :data:`SLOTS_SHOWN`."""
    query: dict[str, Any] = {"service_id": service["id"], "limit": SLOTS_SHOWN}
    if office_id:
        query["office_id"] = office_id
    start_day = _start_day()
    if start_day:
        query["date_from"] = start_day.isoformat()
    with services() as rpc:
        slots = rpc.appointments.search_slots(g.tenant.id, query)
    shown = []
    for slot in slots:
        office = offices[slot["office_id"]]
        local = in_zone(slot["start"], office["timezone"])
        shown.append({**slot, "office": office, "local": local,
                      "value": f"{slot['office_id']}|{slot['start']}"})
    return [(day_label(day), list(items))
            for day, items in groupby(shown, key=lambda item: item["local"].date())]


def _render_slots(service_id: str, *, action: str, error: PageError | None = None,
                  challenge: dict | None = None, chosen: str = "", heading: str = "",
                  token: str = "", reference: str = ""):
    offices, catalogue = offices_and_services()
    service = service_or_404(catalogue, service_id)
    if action == "hold":  # bound services: signed in at their level before a time is shown
        gate = needs_sign_in(service.get("identity_required"), _slots_path(service_id))
        if gate is not None:
            return gate
    office_id = request.values.get("office") or None
    by_id = {office["id"]: office for office in offices}
    if office_id and office_id not in by_id:
        office_id = None
    days = _slot_days(service, office_id, by_id)
    if challenge is None and action == "hold":
        challenge = new_hold_challenge(g.tenant)
    status = error.status if error else 200
    chosen = chosen or (days[0][1][0]["value"] if days else "")
    return render_template(
        "appointments/slots.html", service=service, days=days, office_id=office_id or "",
        start_day=request.values.get("from", ""), action=action, error=error,
        challenge=challenge, challenge_json=json.dumps(challenge) if challenge else "",
        chosen=chosen, heading=heading, token=token, reference=reference,
        release=lottery_release(service) if action == "hold" else None), status


def _slots_path(service_id: str) -> str:
    return url_for("booking.appointment_slots", service_id=service_id)


@blueprint.get("/<lang>/appointments/")
def appointment_services():
    """Which services can be booked, with duration, fee, documents and offices."""
    _, catalogue = offices_and_services()
    return render_template("appointments/appointments.html", services=list(catalogue.values()))


@blueprint.get("/<lang>/appointments/<service_id>/")
@limit_address(SEARCH_LIMIT, scope="search")
def appointment_slots(service_id: str):
    """Free times of a service, at one office or any, from a day on."""
    return _render_slots(service_id, action="hold")


def _chosen_slot() -> tuple[str, str]:
    office_id, _, start = request.form.get("slot", "").partition("|")
    if not office_id or not start:
        raise PageError(400, "validation_failed", {"invalid_params": [{"name": "slot"}]})
    return office_id, start


@blueprint.post("/<lang>/appointments/<service_id>/")
@limit_address(HOLD_LIMIT, scope="hold")
def hold_appointment(service_id: str):
    """Reserve the chosen time for a few minutes, then ask for the contact data."""
    challenge = None
    try:
        office_id, start = _chosen_slot()
        challenge_id = proven_challenge_id(g.tenant, request.form.get("pow_solution"),
                                           request.form.get("pow_token"))
        with services() as rpc:
            held = rpc.appointments.hold_slot(
                g.tenant.id, {"service_id": service_id, "office_id": office_id,
                              "start": start}, client_key(g.tenant.id), challenge_id,
                holder_of(page_resident()))
    except PageError as error:
        return _render_slots(service_id, action="hold", error=error)
    except Exception as error:  # noqa: BLE001 (every failure becomes a message on the page)
        failed = page_error(error)
        if failed.code in SIGN_IN_CODES:
            return sign_in_redirect(failed.body["required_level"], _slots_path(service_id))
        wait = failed.body.get("wait_seconds")
        if wait:  # the no-JS path, sent too early: keep the same check and the choice
            challenge = _sent_challenge()
        return _render_slots(service_id, action="hold", error=failed, challenge=challenge,
                             chosen=request.form.get("slot", ""))
    return redirect(url_for("booking.contact_details", hold_id=held["hold_id"]), code=303)


def _sent_challenge() -> dict | None:
    """The challenge the no-JS form sent back (None, for a new one, if it is not one)."""
    try:
        sent = strict_loads(request.form.get("pow_challenge") or "null")
    except ValueError:  # broken, too deep, a lone surrogate
        return None
    return sent if isinstance(sent, dict) else None


def _hold_or_error(hold_id: str) -> dict:
    with services() as rpc:
        return rpc.appointments.hold_details(g.tenant.id, hold_id)


@blueprint.get("/<lang>/appointments/holds/<hold_id>")
def contact_details(hold_id: str):
    """The reserved time, and the only personal data we ask for, each with why."""
    try:
        held = _hold_or_error(hold_id)
    except Exception as error:  # noqa: BLE001
        return _expired(page_error(error))
    gate = needs_sign_in(held.get("identity_required"), request.path)
    return gate or _render_contact(held, prefilled_contact(page_resident()), None)


def _render_contact(held: dict, values: dict, error: PageError | None):
    fields = ContactFormSchema().fields
    bound = signed_in_enough(held.get("identity_required")) if held.get(
        "identity_required") else None
    if bound is not None:  # the name is the sign-in's, shown, not asked
        values = {**values, "name": bound.name}
    return render_template("appointments/contact.html", held=held, values=values, error=error,
                           fields=fields, bound=bound is not None,
                           status=error.status if error else 200), (
        error.status if error else 200)


def _expired(error: PageError):
    return render_template("appointments/hold_gone.html", error=error), error.status


@blueprint.post("/<lang>/appointments/holds/<hold_id>")
@limit_person(person_key, BOOKING_PERSON_LIMIT, scope="booking-person")
@limit_address(BOOKING_ADDRESS_LIMIT, scope="booking-address", deduct_when=confirmed,
               exempt_when=exempt_client)
@limit_person(network_key, BOOKING_NETWORK_LIMIT, scope="booking-network",
              deduct_when=confirmed, exempt_when=exempt_client)
def confirm_appointment(hold_id: str):
    """Book the reserved time with the contact data (a bound one named as signed in)."""
    values = {name: request.form.get(name, "").strip() for name in CONTACT_FIELDS}
    try:
        held = _hold_or_error(hold_id)
    except Exception as error:  # noqa: BLE001
        return _expired(page_error(error))
    level = held.get("identity_required")
    if level:
        resident = signed_in_enough(level)
        if resident is None:
            return sign_in_redirect(level, request.path)
        values["name"] = resident.name
    try:
        contact = load_form(ContactFormSchema(), values)
    except PageError as error:
        return _render_contact(held, values, error)
    try:
        with services() as rpc:
            booked = rpc.appointments.confirm_hold(g.tenant.id, hold_id,
                                                   with_identity(contact, page_resident()))
    except Exception as error:  # noqa: BLE001
        return _render_contact(held, values, page_error(error))
    record_activity(g.tenant)
    return redirect(url_for("booking.manage_booking", reference=booked["booking"]["reference"],
                            token=booked["manage_token"], lang=contact["language"],
                            done="booked"), code=303)


@blueprint.post("/<lang>/appointments/holds/<hold_id>/release")
def release_appointment_hold(hold_id: str):
    """Let the reserved time go (it is free for others at once)."""
    with services() as rpc:
        held = rpc.appointments.hold_details(g.tenant.id, hold_id)
        rpc.appointments.release_hold(g.tenant.id, hold_id)
    return redirect(url_for("booking.appointment_slots", service_id=held["service_id"]), code=303)


def _booking(reference: str, token: str) -> dict:
    with services() as rpc:
        return rpc.appointments.booking_details(g.tenant.id, reference, token)


@blueprint.get("/<lang>/appointments/bookings/<reference>")
def manage_booking(reference: str):
    """The manage page the secret link opens: details, calendar file, move, cancel."""
    token = request.args.get("token", "")
    booking = _booking(reference, token)
    return _render_manage(booking, token, None)


def _render_manage(booking: dict, token: str, error: PageError | None):
    calendar_url = url_for("appointments.booking_calendar", tenant=g.tenant.id,
                           reference=booking["reference"], token=token, lang=g.lang)
    return render_template("appointments/manage.html", booking=booking, token=token, error=error,
                           done=request.args.get("done", ""), calendar_url=calendar_url,
                           last_message=last_message("booking", booking["reference"])
                           ), error.status if error else 200


def _bound_gate(booking: dict, token: str):
    """A bound booking is moved or cancelled signed in: the sign-in, back to its page."""
    return needs_sign_in(booking.get("identity_required"), url_for(
        "booking.manage_booking", reference=booking["reference"], token=token))


@blueprint.post("/<lang>/appointments/bookings/<reference>/cancel")
def cancel_appointment(reference: str):
    """Cancel after the resident confirmed it; the time is free for others at once."""
    token = request.form.get("token", "")
    booking = _booking(reference, token)
    if request.form.get("confirm") != "yes":
        return _render_manage(booking, token, PageError(400, "confirm_cancel", {}))
    gate = _bound_gate(booking, token)
    if gate is not None:
        return gate
    try:
        with services() as rpc:
            rpc.appointments.cancel_booking(g.tenant.id, reference, token,
                                            holder_of(page_resident()))
    except Exception as error:  # noqa: BLE001
        return _render_manage(booking, token, page_error(error))
    return redirect(url_for("booking.manage_booking", reference=booking["reference"], token=token,
                            done="cancelled"), code=303)


@blueprint.get("/<lang>/appointments/bookings/<reference>/reschedule")
@limit_address(SEARCH_LIMIT, scope="search")
def choose_new_time(reference: str):
    """Free times of the booked service, to move the booking to."""
    token = request.args.get("token", "")
    booking = _booking(reference, token)
    return _bound_gate(booking, token) or _render_slots(
        booking["service_id"], action="reschedule", token=token, reference=booking["reference"])


@blueprint.post("/<lang>/appointments/bookings/<reference>/reschedule")
def reschedule_appointment(reference: str):
    """Move the booking: the new time is taken before the old one is freed."""
    token = request.form.get("token", "")
    booking = _booking(reference, token)
    gate = _bound_gate(booking, token)
    if gate is not None:
        return gate
    try:
        office_id, start = _chosen_slot()
        with services() as rpc:
            rpc.appointments.reschedule_booking(g.tenant.id, reference, token,
                                                {"office_id": office_id, "start": start},
                                                holder_of(page_resident()))
    except Exception as error:  # noqa: BLE001
        failed = error if isinstance(error, PageError) else page_error(error)
        return _render_slots(booking["service_id"], action="reschedule", error=failed,
                             token=token, reference=booking["reference"])
    return redirect(url_for("booking.manage_booking", reference=booking["reference"], token=token,
                            done="moved"), code=303)
