# SPDX-License-Identifier: EUPL-1.2
"""Counter staff pages: the day list, check-in, call, no-show, walk-ins, counted transactions.

Staff sign in through the tenant's staff identity provider (:mod:`identity.sign_in_pages`); pages
are guarded by :func:`identity.access.staff_page` (role per tenant from the token's
``loket_roles``); each form carries the session's CSRF token.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..core.page_helpers import PageError, day_label, page_error, services
from ..core.pages import pages_blueprint
from ..identity.access import staff_page, staff_roles
from ..identity.staff_roles import TENANT_ADMIN
from .counter_tally import (
    channel_label,
    process_name,
    staff_actor,
    tally_choices,
    transaction_from,
)

blueprint = pages_blueprint("counter", __name__)

def _day(timezone: str) -> date:
    """The asked-for day, else today where the office is."""
    try:
        return date.fromisoformat(request.args.get("date", ""))
    except ValueError:
        return datetime.now(ZoneInfo(timezone)).date()


@blueprint.get("/<lang>/staff/day-list")
@staff_page
def staff_day_list():
    """The bookings of one office (and counter) on one day, in time order."""
    with services() as rpc:
        offices = rpc.appointments.list_offices(g.tenant.id)
    if not offices:
        return render_template("appointments/day_list.html", offices=[], office=None, entries=[])
    by_id = {office["id"]: office for office in offices}
    office = by_id.get(request.args.get("office", ""), offices[0])
    counter_id = request.args.get("counter") or None
    if counter_id not in {counter["id"] for counter in office["counters"]}:
        counter_id = None
    day = _day(office["timezone"])
    with services() as rpc:
        entries = rpc.appointments.day_list(g.tenant.id, office["id"], day.isoformat(),
                                            counter_id, g.staff)
    names = {service["id"]: service["name"] for service in office["services"]}
    counters = {counter["id"]: counter["name"] for counter in office["counters"]}
    return render_template("appointments/day_list.html", offices=offices, office=office, day=day,
                           counter_id=counter_id or "", entries=entries,
                           day_heading=day_label(day), names=names,
                           counters=counters, tally=tally_choices(g.tenant.id, office),
                           channel_label=channel_label,
                           is_admin=TENANT_ADMIN in staff_roles())


def _back() -> Any:
    return redirect(url_for("counter.staff_day_list", office=request.form.get("office", ""),
                            date=request.form.get("date", ""),
                            counter=request.form.get("counter", "")), code=303)


def _act(call: Callable[[Any], Any], done: str) -> Any:
    try:
        with services() as rpc:
            call(rpc)
        flash(done, "done")
    except Exception as error:  # noqa: BLE001 (shown on the day list)
        flash(page_error(error).message, "error")
    return _back()


@blueprint.post("/<lang>/staff/bookings/<reference>/check-in")
@staff_page
def staff_check_in(reference: str):
    """The resident has arrived."""
    return _act(lambda rpc: rpc.appointments.check_in(g.tenant.id, reference, g.staff),
                _("%(reference)s is checked in.", reference=reference))


@blueprint.post("/<lang>/staff/bookings/<reference>/no-show")
@staff_page
def staff_no_show(reference: str):
    """The resident did not come."""
    return _act(lambda rpc: rpc.appointments.mark_no_show(g.tenant.id, reference, g.staff),
                _("%(reference)s is marked as missed.", reference=reference))


@blueprint.post("/<lang>/staff/bookings/<reference>/office-cancellation")
@staff_page
def staff_cancel_booking(reference: str):
    """The office cancels a booking, with the reason the resident reads (required)."""
    reason = request.form.get("reason", "").strip()[:500]
    if not reason:
        flash(_("Please give the reason for cancelling %(reference)s: the resident reads it.",
                reference=reference), "error")
        return _back()
    return _act(lambda rpc: rpc.appointments.cancel_booking_by_office(
        g.tenant.id, reference, g.staff, reason),
        _("%(reference)s is cancelled; the resident is told.", reference=reference))


@blueprint.post("/<lang>/staff/offices/<office_id>/counters/<counter_id>/call-next")
@staff_page
def staff_call_next(office_id: str, counter_id: str):
    """Call the next checked-in resident to this counter."""
    try:
        with services() as rpc:
            called = rpc.appointments.call_next(g.tenant.id, office_id, counter_id, g.staff)
    except Exception as error:  # noqa: BLE001
        flash(page_error(error).message, "error")
        return _back()
    if called:
        flash(_("Please call %(name)s (%(reference)s) to the counter.",
                name=called.get("name") or "", reference=called["reference"]), "done")
    else:
        flash(_("Nobody is waiting for this counter."), "done")
    return _back()


@blueprint.post("/<lang>/staff/offices/<office_id>/walk-ins")
@staff_page
def staff_walk_in(office_id: str):
    """Book a free time for someone standing at the counter (day, time, service, name)."""
    name = request.form.get("name", "").strip()
    try:
        day = date.fromisoformat(request.form.get("date", ""))
        at = time.fromisoformat(request.form.get("time", ""))
        if not name:
            raise ValueError("name")
    except ValueError:
        flash(_("Please enter the time and the name for the walk-in."), "error")
        return _back()
    with services() as rpc:
        offices = {office["id"]: office for office in rpc.appointments.list_offices(g.tenant.id)}
    if office_id not in offices:
        abort(404)
    start = datetime.combine(day, at, tzinfo=ZoneInfo(offices[office_id]["timezone"]))
    request_body = {"office_id": office_id, "service_id": request.form.get("service", ""),
                    "start": start.isoformat()}
    return _act(lambda rpc: rpc.appointments.book_walk_in(g.tenant.id, request_body, name),
                _("%(name)s is booked at %(time)s.", name=name, time=at.strftime("%H:%M")))


@blueprint.post("/<lang>/staff/counter-transactions")
@staff_page
def staff_count_transaction():
    """Count a finished counter transaction with no Loket case (process and channel only).

    A refusal (an unknown process) is shown on the day list; a statistics service that is
    down or slow is the error page, as for any page.
    """
    try:
        transaction = transaction_from(request.form)
        with services() as rpc:
            rpc.statistics.record_counter_transaction(g.tenant.id, transaction,
                                                      staff_actor(g.staff))
    except Exception as error:  # noqa: BLE001 (a refusal is shown on the day list)
        problem = error if isinstance(error, PageError) else page_error(error)
        if problem.status >= 500:
            raise
        flash(problem.message, "error")
        return _back()
    name = process_name(g.tenant.id, transaction["process"])
    flash(_("Counted: %(process)s (%(channel)s).", process=name,
            channel=channel_label(transaction["channel"])), "done")
    return _back()
