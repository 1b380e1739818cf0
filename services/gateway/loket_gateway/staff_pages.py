# SPDX-License-Identifier: EUPL-1.2
"""Counter staff pages: sign in with the staff token, the day list, check-in, call, no-show.

The token is kept in Flask's signed session cookie (HttpOnly, SameSite=Lax) and checked
against the tenant and role on every request, like the API's bearer token; each form
carries the CSRF token (csrf.py). Login through OpenID Connect replaces the token.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from functools import wraps
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from .page_helpers import day_label, page_error, services
from .staff_auth import actor, roles_for
from .web import web

COUNTER_STAFF, CASE_WORKER, TENANT_ADMIN = "counter_staff", "case_worker", "tenant_admin"
STAFF_ROLES = frozenset({COUNTER_STAFF, CASE_WORKER})


def session_roles() -> set[str]:
    """The roles the session's staff token grants in this tenant (none when signed out)."""
    token = session.get("staff_token", "")
    if not token or session.get("staff_tenant") != g.tenant.id:
        return set()
    return roles_for(g.tenant.id, token)


def staff_page(view: Callable | None = None, *, role: str | None = COUNTER_STAFF) -> Callable:
    """Let the view run for signed-in staff of this tenant with ``role`` (csrf.py checks POSTs).

    Signed out: on to the sign-in form; signed in without the role: 403.
    Use as ``@staff_page`` or ``@staff_page(role=TENANT_ADMIN)`` (``role=None``: any staff).
    """
    if view is None:
        return lambda inner: staff_page(inner, role=role)

    @wraps(view)
    def checked(**kwargs: Any) -> Any:
        roles = session_roles()
        if not roles:
            return redirect(url_for("web.staff_sign_in"), code=303)
        if role is not None and role not in roles:
            abort(403)
        g.staff = actor(session["staff_token"], role or sorted(roles)[0])
        return view(**kwargs)
    return checked


def _start_page() -> Any:
    """Admins start at the catalogue, counter staff at the day list, case workers at the queue."""
    roles = session_roles()
    start = ("web.admin_catalogue" if TENANT_ADMIN in roles else
             "web.staff_day_list" if COUNTER_STAFF in roles else "web.case_queue_page")
    return redirect(url_for(start), code=303)


@web.get("/<lang>/staff/")
def staff_sign_in():
    """The sign-in form (or straight on to the start page)."""
    if STAFF_ROLES & session_roles():
        return _start_page()
    return render_template("staff_sign_in.html", failed=False)


@web.post("/<lang>/staff/")
def staff_sign_in_post():
    """Check the token against the tenant and role; keep it in the session."""
    token = request.form.get("token", "").strip()
    if not token or not STAFF_ROLES & roles_for(g.tenant.id, token):
        return render_template("staff_sign_in.html", failed=True), 403
    session.clear()
    session.update(staff_token=token, staff_tenant=g.tenant.id)
    return _start_page()


@web.post("/<lang>/staff/sign-out")
@staff_page(role=None)
def staff_sign_out():
    """Forget the session."""
    session.clear()
    return redirect(url_for("web.staff_sign_in"), code=303)


def _day(timezone: str) -> date:
    """The asked-for day, else today where the office is."""
    try:
        return date.fromisoformat(request.args.get("date", ""))
    except ValueError:
        return datetime.now(ZoneInfo(timezone)).date()


@web.get("/<lang>/staff/day-list")
@staff_page
def staff_day_list():
    """The bookings of one office (and counter) on one day, in time order."""
    with services() as rpc:
        offices = rpc.appointments.list_offices(g.tenant.id)
    if not offices:
        return render_template("day_list.html", offices=[], office=None, entries=[])
    by_id = {office["id"]: office for office in offices}
    office = by_id.get(request.args.get("office", ""), offices[0])
    counter_id = request.args.get("counter") or None
    if counter_id not in {counter["id"] for counter in office["counters"]}:
        counter_id = None
    day = _day(office["timezone"])
    with services() as rpc:
        entries = rpc.appointments.day_list(g.tenant.id, office["id"], day.isoformat(),
                                            counter_id)
    names = {service["id"]: service["name"] for service in office["services"]}
    counters = {counter["id"]: counter["name"] for counter in office["counters"]}
    return render_template("day_list.html", offices=offices, office=office, day=day,
                           counter_id=counter_id or "", entries=entries,
                           day_heading=day_label(day), names=names,
                           counters=counters,
                           is_admin=TENANT_ADMIN in session_roles())


def _back() -> Any:
    return redirect(url_for("web.staff_day_list", office=request.form.get("office", ""),
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


@web.post("/<lang>/staff/bookings/<reference>/check-in")
@staff_page
def staff_check_in(reference: str):
    """The resident has arrived."""
    return _act(lambda rpc: rpc.appointments.check_in(g.tenant.id, reference),
                _("%(reference)s is checked in.", reference=reference))


@web.post("/<lang>/staff/bookings/<reference>/no-show")
@staff_page
def staff_no_show(reference: str):
    """The resident did not come."""
    return _act(lambda rpc: rpc.appointments.mark_no_show(g.tenant.id, reference),
                _("%(reference)s is marked as missed.", reference=reference))


@web.post("/<lang>/staff/offices/<office_id>/counters/<counter_id>/call-next")
@staff_page
def staff_call_next(office_id: str, counter_id: str):
    """Call the next checked-in resident to this counter."""
    try:
        with services() as rpc:
            called = rpc.appointments.call_next(g.tenant.id, office_id, counter_id)
    except Exception as error:  # noqa: BLE001
        flash(page_error(error).message, "error")
        return _back()
    if called:
        flash(_("Please call %(name)s (%(reference)s) to the counter.",
                name=called.get("name") or "", reference=called["reference"]), "done")
    else:
        flash(_("Nobody is waiting for this counter."), "done")
    return _back()


@web.post("/<lang>/staff/offices/<office_id>/walk-ins")
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
