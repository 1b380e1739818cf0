# SPDX-License-Identifier: EUPL-1.2
"""The residents' own pages (``/<lang>/me/``).

Overview, profile, businesses, consents and who read my data. Plain forms (POST, then
303), so nothing needs JavaScript.

Export and erasure are in :mod:`.rights_pages`.
"""
from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from loket_contracts.profile.schemas import CHANNELS

from ..core.page_helpers import act, offices_and_services, page_error, services
from ..core.pages import pages_blueprint
from ..identity.access import resident_page
from .forms import (
    BUSINESS_FIELDS,
    PROFILE_FIELDS,
    FormInvalid,
    business_body,
    form_values,
    input_name,
    profile_body,
    stored_values,
)

blueprint = pages_blueprint("my_data", __name__)


def field_labels() -> dict[str, str]:
    """What the profile and business inputs are called on the pages."""
    return {
        "given_name": _("Given name"), "family_name": _("Family name"),
        "address": _("Postal address"), "address.street": _("Street"),
        "address.house_number": _("House number"), "address.postal_code": _("Postal code"),
        "address.city": _("City"), "address.country": _("Country (two-letter code, e.g. DE)"),
        "email": _("Email address"), "phone": _("Phone number"),
        "preferred_language": _("Preferred language"),
        "notification_channel": _("How we send you messages"),
        "company_name": _("Name of the business"), "legal_form": _("Legal form"),
        "register_number": _("Commercial register number"),
        # keys of the services' exports, for the readable "all my data" page
        "service": _("Service"), "subject": _("Pseudonymous id"), "profile": _("Profile"),
        "businesses": _("Businesses"), "consents": _("Consents"),
        "access_log": _("Accesses to my data"), "erasure_requests": _("Erasure requests"),
        "bookings": _("Appointments"), "lottery_entries": _("Lottery entries"),
        "applications": _("Applications"), "reference": _("Reference"), "state": _("State"),
        "start": _("Start"), "end": _("End"), "created_at": _("Created"),
        "updated_at": _("Changed"), "contact": _("Contact details"), "name": _("Name"),
        "language": _("Language"), "data": _("Your answers"), "attachments": _("Documents"),
        "filename": _("File name"), "history": _("History"), "id": _("Id"),
        "trust_level": _("Trust level of the sign-in"), "last_sign_in_at": _("Last signed in"),
        "version": _("Version"), "edited": _("Fields you changed"), "purpose": _("Purpose"),
        "title": _("Title"), "text": _("Text"), "given": _("Given"), "given_at": _("Given on"),
        "withdrawn_at": _("Withdrawn on"), "resident": _("Resident"),
        "known_since": _("Known since"), "office_id": _("Office"), "service_id": _("Service"),
        "day": _("Day"), "draw_at": _("Draw"), "type_id": _("Type of application"),
        "fee_cents": _("Fee (cents)"), "due_at": _("Due"), "decision": _("Decision"),
        "outcome": _("Outcome"), "reason": _("Reason"), "submitted_at": _("Submitted"),
        "decided_at": _("Decided"), "content_type": _("File type"), "size": _("Size (bytes)"),
        "document_id": _("Document"), "at": _("When"), "actor_name": _("Who"),
        "actor_role": _("Role"), "record": _("Record"), "requested_at": _("Requested"),
        "completed_at": _("Completed"), "services": _("Services"),
        "applicant": _("Applicant"), "on_behalf_of": _("On behalf of"),
        "information_request": _("Request for information"), "message": _("Message"),
        "fields": _("Fields"), "assigned_to": _("Assigned to"), "action": _("Action"),
        "from": _("From"), "to": _("To"), "actor": _("By"), "role": _("Role"),
        "representatives": _("Representatives"), "messages": _("Messages"),
        "subject_line": _("Subject"), "channel": _("How"), "about": _("About"),
        "kind": _("Kind of message")}


def notification_channels() -> list[tuple[str, str]]:
    """The profile's channel choices (the contract's ``CHANNELS``), in words, in order."""
    names = {"email": _("By email"), "sms": _("By text message (SMS) to my phone number"),
             "post": _("By post"), "none": _("No messages")}
    return [(channel, names.get(channel, channel)) for channel in CHANNELS]


def role_names() -> dict[str, str]:
    """Staff roles as residents read them."""
    return {"counter_staff": _("Counter staff"), "case_worker": _("Case worker"),
            "tenant_admin": _("Administrator of the municipality"),
            "operator": _("Operator of the platform")}


def purpose_names() -> dict[str, str]:
    """Why staff read data (access-log purposes) as residents read them."""
    return {"case_processing": _("Processing your application"),
            "counter_service": _("Serving you at the counter"),
            "profile": _("Looking up your profile")}


def service_names() -> dict[str, str]:
    """The services as residents read them."""
    return {"profile": _("Profile"), "appointments": _("Appointments"),
            "permits": _("Applications and permits"), "notifications": _("Messages")}


def booking_states() -> dict[str, str]:
    """A booking's state as residents read it."""
    return {"booked": _("booked"), "cancelled": _("cancelled"), "checked_in": _("checked in"),
            "called": _("called"), "done": _("done"), "no_show": _("missed")}


@blueprint.app_context_processor
def my_data_names() -> dict[str, Any]:
    """Names the own-data pages share with the templates."""
    return {"field_labels": field_labels(), "role_names": role_names(),
            "purpose_names": purpose_names(), "service_names": service_names(),
            "booking_states": booking_states(),
            "notification_channels": notification_channels()}


def own_profile(rpc: Any) -> dict | None:
    """The signed-in resident's profile; None when none is held (e.g. after erasure)."""
    try:
        return rpc.profile.get_profile(g.tenant.id, g.resident.subject)
    except Exception as error:  # noqa: BLE001 (a missing profile is a state, not an error)
        if page_error(error).status == 404:
            return None
        raise


def with_places(bookings: list[dict]) -> list[dict]:
    """``bookings`` with their service and office, soonest first."""
    offices, catalogue = offices_and_services()
    by_id = {office["id"]: office for office in offices}
    shown = [{**booking, "service": catalogue.get(booking.get("service_id") or ""),
              "office": by_id.get(booking.get("office_id"))} for booking in bookings]
    return sorted(shown, key=lambda booking: booking.get("start") or "")


@blueprint.get("/<lang>/me/")
@resident_page
def my_overview():
    """Profile summary, appointments, applications, and the ways to my data."""
    with services() as rpc:
        profile = own_profile(rpc)
        bookings = rpc.appointments.list_own_bookings(g.tenant.id, g.resident.subject)
    return render_template("my_data/my_overview.html", profile=profile,
                           bookings=with_places(bookings))


def _profile_form(values: dict[str, str], invalid: list[str], status: int = 200):
    with services() as rpc:
        described = rpc.profile.profile_fields()
    return render_template("my_data/my_profile.html", fields=described, values=values,
                           invalid=[input_name(name) for name in invalid]), status


@blueprint.get("/<lang>/me/profile")
@resident_page
def my_profile_page():
    """The profile form: each field with why it is asked and whether it is required."""
    with services() as rpc:
        profile = own_profile(rpc)
    return _profile_form(stored_values(profile, PROFILE_FIELDS), [])


@blueprint.post("/<lang>/me/profile")
@resident_page
def my_profile_save():
    """Save the profile; errors at the fields and in a summary that links to them."""
    values = form_values(request.form, PROFILE_FIELDS)
    try:
        with services() as rpc:
            required = {item["name"] for item in rpc.profile.profile_fields()
                        if item.get("required")}
            rpc.profile.update_profile(g.tenant.id, g.resident.subject,
                                       profile_body(values, required))
    except FormInvalid as invalid:
        return _profile_form(values, invalid.names, 400)
    except Exception as error:  # noqa: BLE001 (the service's field errors, at the fields)
        problem = page_error(error)
        if problem.status >= 500 or not problem.invalid_fields:
            raise
        return _profile_form(values, sorted(problem.invalid_fields), problem.status)
    flash(_("Your profile is saved."), "done")
    return redirect(url_for("my_data.my_overview"), code=303)


def _businesses_page(values: dict[str, str], invalid: list[str], editing: str = "",
                     status: int = 200):
    with services() as rpc:
        businesses = rpc.profile.list_businesses(g.tenant.id, g.resident.subject)
    return render_template("my_data/my_businesses.html", businesses=businesses, values=values,
                           invalid=[input_name(name) for name in invalid],
                           editing=editing), status


@blueprint.get("/<lang>/me/businesses")
@resident_page
def my_businesses_page():
    """The businesses I represent, and a form to add (or, with ``?edit=``, change) one."""
    editing = request.args.get("edit", "")
    values: dict[str, str] = {}
    if editing:
        with services() as rpc:
            found = [item for item in rpc.profile.list_businesses(g.tenant.id,
                                                                  g.resident.subject)
                     if item["id"] == editing]
        editing = editing if found else ""
        values = stored_values(found[0] if found else None, BUSINESS_FIELDS)
    return _businesses_page(values, [], editing)


@blueprint.post("/<lang>/me/businesses")
@resident_page
def my_businesses_save():
    """Add a business, or save the one named by ``business_id``."""
    values = form_values(request.form, BUSINESS_FIELDS)
    business_id = request.form.get("business_id") or None
    try:
        body = business_body(values)
        with services() as rpc:
            rpc.profile.save_business(g.tenant.id, g.resident.subject, business_id, body)
    except FormInvalid as invalid:
        return _businesses_page(values, invalid.names, business_id or "", 400)
    except Exception as error:  # noqa: BLE001
        problem = page_error(error)
        if problem.status >= 500:
            raise
        return _businesses_page(values, sorted(problem.invalid_fields) or ["company_name"],
                                business_id or "", problem.status)
    flash(_("The business is saved."), "done")
    return redirect(url_for("my_data.my_businesses_page"), code=303)


@blueprint.get("/<lang>/me/consents")
@resident_page
def my_consents_page():
    """Each purpose with my answer, when I gave and withdrew it, and a button to change it."""
    with services() as rpc:
        consents = rpc.profile.list_consents(g.tenant.id, g.resident.subject)
    return render_template("my_data/my_consents.html", consents=consents)


@blueprint.post("/<lang>/me/consents/<purpose>")
@resident_page
def my_consent_change(purpose: str):
    """Give (``action=give``) or withdraw (``action=withdraw``) consent for ``purpose``."""
    back = url_for("my_data.my_consents_page")
    if request.form.get("action") == "give":
        return act(lambda rpc: rpc.profile.give_consent(g.tenant.id, g.resident.subject,
                                                        purpose),
                   _("Thank you: your consent is recorded."), back)
    return act(lambda rpc: rpc.profile.withdraw_consent(g.tenant.id, g.resident.subject,
                                                        purpose),
               _("Your consent is withdrawn."), back)


@blueprint.get("/<lang>/me/access-log")
@resident_page
def my_access_log_page():
    """Who read my data: when, who, in which role, for what, in which service, which record."""
    with services() as rpc:
        entries = rpc.profile.access_log(g.tenant.id, g.resident.subject)
    return render_template("my_data/my_access_log.html", entries=entries)
