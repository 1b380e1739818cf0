# SPDX-License-Identifier: EUPL-1.2
"""Tenant admins' pages: the catalogue and its audit trail, services, offices, closures.

Same session, CSRF and error handling as the counter staff pages; every write posts the
version its form was loaded with, so a change made meanwhile is shown, never overwritten.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..core.i18n import localized
from ..core.page_helpers import PageError, page_error, services
from ..core.pages import pages_blueprint
from ..identity.access import staff_page
from ..identity.staff_roles import TENANT_ADMIN
from .forms import (
    Form,
    FormInvalid,
    closure_body,
    counter_rows,
    form_field,
    form_version,
    new_entry_id,
    office_body,
    office_form,
    one,
    service_body,
    service_form,
)

blueprint = pages_blueprint("catalogue", __name__)

PLURALS = "<any(offices, services):plural>"
ToForm = Callable[[Mapping[str, Any] | None], dict]  # stored entry (None: new) as form values
KINDS: dict[str, tuple[str, Callable[[Form], dict], ToForm]] = {
    "offices": ("office", office_body, office_form),
    "services": ("service", service_body, service_form),
}
RECENT_CHANGES = 20


def _invalid(error: PageError | None, form: Form) -> set[str]:
    """The form fields an error names."""
    if error is None:
        return set()
    counter_ids = [one(form, f"counters-{row}-id") for row in range(counter_rows(form))]
    return {form_field(name, counter_ids) for name in error.invalid_fields}


def _form_error(names: list[str]) -> PageError:
    return PageError(422, "validation_failed",
                     {"invalid_params": [{"name": name} for name in names]})


def _stored_form(plural: str, entry: dict[str, Any]) -> dict[str, list[str]]:
    """A stored entry as form values, with the version it was read at."""
    return {**KINDS[plural][2](entry), "version": [str(entry["version"])]}


def _render_entry(plural: str, entry: dict | None, form: Form,
                  error: PageError | None = None, status: int = 200) -> Any:
    """The form of one service or office (``entry`` None: a new one)."""
    kind = KINDS[plural][0]
    context: dict[str, Any] = {}
    if kind == "office":
        with services() as rpc:
            known = rpc.appointments.list_catalogue(g.tenant.id)["services"]
        chosen = set(form.get("service_ids", []))
        context["service_choices"] = [(service["id"], localized(service["name"]))
                                      for service in known
                                      if service["active"] or service["id"] in chosen]
        context["counter_rows"] = counter_rows(form)
    return render_template(f"catalogue/admin_{kind}.html", plural=plural, entry=entry, form=form,
                           error=error, invalid=_invalid(error, form),
                           **context), status


def _entry(plural: str, entry_id: str) -> dict[str, Any]:
    """A stored service or office (404 when there is none)."""
    try:
        with services() as rpc:
            return getattr(rpc.appointments, f"get_{KINDS[plural][0]}")(g.tenant.id, entry_id)
    except Exception as error:  # noqa: BLE001
        if page_error(error).status == 404:
            abort(404)
        raise


@blueprint.get("/<lang>/admin/")
@staff_page(role=TENANT_ADMIN)
def admin_catalogue():
    """Offices and services, active or not, and the latest changes."""
    with services() as rpc:
        catalogue = rpc.appointments.list_catalogue(g.tenant.id)
        changes = rpc.appointments.list_catalogue_changes(g.tenant.id, RECENT_CHANGES)
    names = {(kind, entry["id"]): entry["name"] for kind in ("office", "service")
             for entry in catalogue[f"{kind}s"]}
    return render_template("catalogue/admin_catalogue.html", catalogue=catalogue, changes=changes,
                           names=names)


@blueprint.get(f"/<lang>/admin/{PLURALS}/")
@staff_page(role=TENANT_ADMIN)
def admin_new_entry(plural: str):
    """The form for a new service or office."""
    return _render_entry(plural, None, KINDS[plural][2](None))


@blueprint.get(f"/<lang>/admin/{PLURALS}/<entry_id>")
@staff_page(role=TENANT_ADMIN)
def admin_entry(plural: str, entry_id: str):
    """The form of a stored service or office."""
    entry = _entry(plural, entry_id)
    return _render_entry(plural, entry, _stored_form(plural, entry))


@blueprint.post(f"/<lang>/admin/{PLURALS}/")
@staff_page(role=TENANT_ADMIN)
def admin_create_entry(plural: str):
    """Create a service or office under the id the form names."""
    form = request.form.to_dict(flat=False)
    try:
        entry_id = new_entry_id(form)
    except FormInvalid as error:
        return _render_entry(plural, None, form, _form_error(error.names), 422)
    return _save(plural, entry_id, None, form)


@blueprint.post(f"/<lang>/admin/{PLURALS}/<entry_id>")
@staff_page(role=TENANT_ADMIN)
def admin_save_entry(plural: str, entry_id: str):
    """Replace a service or office as a whole (at the version the form was loaded with)."""
    entry = _entry(plural, entry_id)
    form = request.form.to_dict(flat=False)
    return _save(plural, entry_id, entry, form)


def _save(plural: str, entry_id: str, entry: dict | None, form: Form) -> Any:
    kind, to_body, _to_form = KINDS[plural]
    version = form_version(one(form, "version")) if entry else None
    try:
        body = to_body(form)
        with services() as rpc:
            getattr(rpc.appointments, f"put_{kind}")(g.tenant.id, entry_id, body, version,
                                                     dict(g.staff))
    except FormInvalid as error:
        return _render_entry(plural, entry, form, _form_error(error.names), 422)
    except Exception as error:  # noqa: BLE001 (shown on the form)
        failed = page_error(error)
        if failed.code == "version_conflict" and entry:
            current = _entry(plural, entry_id)
            return _render_entry(plural, current, _stored_form(plural, current), failed, 409)
        if failed.code == "version_conflict":
            failed = PageError(409, "version_conflict", {"invalid_params": [{"name": "id"}]})
        return _render_entry(plural, entry, form, failed, failed.status)
    flash(_("Saved."), "done")
    return redirect(url_for("catalogue.admin_entry", plural=plural, entry_id=entry_id), code=303)


@blueprint.post(f"/<lang>/admin/{PLURALS}/<entry_id>/deactivate")
@staff_page(role=TENANT_ADMIN)
def admin_deactivate(plural: str, entry_id: str):
    """Stop offering a service or office (after the confirmation box is ticked)."""
    kind = KINDS[plural][0]
    entry = _entry(plural, entry_id)
    if request.form.get("confirm") != "yes":
        failed = PageError(422, "confirm_deactivate", {})
        return _render_entry(plural, entry, _stored_form(plural, entry), failed, 422)
    try:
        with services() as rpc:
            rpc.appointments.deactivate(g.tenant.id, kind, entry_id,
                                        form_version(request.form.get("version")), dict(g.staff))
    except Exception as error:  # noqa: BLE001
        current = _entry(plural, entry_id)
        failed = page_error(error)
        return _render_entry(plural, current, _stored_form(plural, current), failed,
                             failed.status)
    flash(_("Deactivated. It is kept with its bookings but no longer offered."), "done")
    return redirect(url_for("catalogue.admin_catalogue"), code=303)


def _render_closures(office: dict[str, Any], form: Form, error: PageError | None = None,
                     status: int = 200) -> Any:
    return render_template("catalogue/admin_closures.html", office=office, form=form, error=error,
                           invalid=_invalid(error, form)), status


@blueprint.get("/<lang>/admin/offices/<office_id>/closures")
@staff_page(role=TENANT_ADMIN)
def admin_closures(office_id: str):
    """The days an office is closed, and a form to add one."""
    return _render_closures(_entry("offices", office_id), {})


@blueprint.post("/<lang>/admin/offices/<office_id>/closures")
@staff_page(role=TENANT_ADMIN)
def admin_add_closure(office_id: str):
    """Close the office on a day."""
    form = request.form.to_dict(flat=False)
    return _closure_change(office_id, form, lambda rpc, version: rpc.appointments.add_closure(
        g.tenant.id, office_id, closure_body(form), version, dict(g.staff)),
        _("The office is closed on that day now."))


@blueprint.post("/<lang>/admin/offices/<office_id>/closures/<day>/remove")
@staff_page(role=TENANT_ADMIN)
def admin_remove_closure(office_id: str, day: str):
    """Open the office again on a closed day."""
    return _closure_change(office_id, {}, lambda rpc, version: rpc.appointments.remove_closure(
        g.tenant.id, office_id, day, version, dict(g.staff)),
        _("The office is open again on %(day)s.", day=day))


def _closure_change(office_id: str, form: Form, change: Callable[[Any, int], Any],
                    done: str) -> Any:
    """Run ``change`` at the form's version; on failure show the closures again."""
    try:
        with services() as rpc:
            change(rpc, form_version(request.form.get("version")))
    except Exception as error:  # noqa: BLE001
        failed = page_error(error)
        keep = {} if failed.code == "version_conflict" else form
        return _render_closures(_entry("offices", office_id), keep, failed, failed.status)
    flash(done, "done")
    return redirect(url_for("catalogue.admin_closures", office_id=office_id), code=303)
