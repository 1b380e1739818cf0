# SPDX-License-Identifier: EUPL-1.2
"""Permit pages for residents: apply, upload, submit, status.

Residents sign in through the tenant's identity provider (:mod:`identity.sign_in_pages`); pages are
guarded by :func:`identity.access.resident_page`; each form carries the session's CSRF token.
Forms are generated from the permit type's definition; every field shows why it is needed.
"""
from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from loket_contracts.permits.file_names import clean_file_name

from ..core.error_messages import message_for
from ..core.message_status import last_message
from ..core.page_helpers import PageError, act, fetched_or_404, page_error, services
from ..core.pages import pages_blueprint
from ..identity import sessions
from ..identity.access import resident_page, step_up
from .resident_api import applicant, attachment_response

blueprint = pages_blueprint("permits", __name__)

ADDRESS_PARTS = ("street", "postal_code", "city")
NUMBERS = {"integer": int, "decimal": float}


def me() -> dict[str, str]:
    """The signed-in resident as the permits service names an applicant."""
    return applicant(g.resident)


@blueprint.get("/<lang>/permits/")
def permit_types_page():
    """What residents can apply for, with the fee."""
    with services() as rpc:
        types = rpc.permits.list_permit_types(g.tenant.id)
    return render_template("permits/permit_types.html", types=types,
                           signed_in=sessions.current(sessions.RESIDENT, g.tenant.id) is not None)


def permit_type_of(type_id: str) -> dict:
    """The type's definition with the list's summary (base fee, fee description)."""
    detail, listed = fetched_or_404(lambda rpc: (
        rpc.permits.get_permit_type(g.tenant.id, type_id),
        rpc.permits.list_permit_types(g.tenant.id)))
    summary: dict[str, Any] = next((item for item in listed if item["id"] == type_id), {})
    return {**summary, **detail}


@blueprint.app_context_processor
def permit_state_names() -> dict[str, Any]:
    """What the states are called on the pages."""
    return {"state_names": {
        "draft": _("Draft (not submitted yet)"), "submitted": _("Submitted, waiting for review"),
        "in_review": _("In review"), "information_requested": _("Information requested"),
        "approved": _("Approved"), "rejected": _("Rejected"), "withdrawn": _("Withdrawn")}}


def company(form: Any) -> dict[str, str] | None:
    """The optional company the resident applies for (None when its fieldset is empty)."""
    parts = {part: form.get(f"company.{part}", "").strip()
             for part in ("company_name", "register_number", "role")}
    if not any(parts.values()):
        return None
    return {key: value for key, value in parts.items() if value}


def form_data(fields: list[dict], form: Any) -> dict[str, Any]:
    """The definition's fields from the posted form; empty inputs are left out."""
    data: dict[str, Any] = {}
    for field in fields:
        name, kind = field["name"], field["type"].replace("-", "_")
        if kind == "address":
            parts = {part: form.get(f"{name}.{part}", "").strip() for part in ADDRESS_PARTS}
            if any(parts.values()):
                data[name] = parts
        elif kind == "boolean":
            data[name] = form.get(name) == "yes"
        else:
            value = form.get(name, "").strip()
            if value:
                try:
                    data[name] = NUMBERS[kind](value.replace(",", ".")) if kind in NUMBERS \
                        else value
                except ValueError:
                    data[name] = value  # the service names the field
    return data


def field_values(data: dict[str, Any]) -> dict[str, str]:
    """An application's data as the form's input values."""
    values: dict[str, str] = {}
    for name, value in (data or {}).items():
        if isinstance(value, dict):
            values.update({f"{name}.{part}": str(value.get(part, "")) for part in ADDRESS_PARTS})
        elif isinstance(value, bool):
            values[name] = "yes" if value else ""
        else:
            values[name] = str(value)
    return values


def invalid_names(error: PageError | None) -> set[str]:
    """Every part of the invalid parameters' names (``data.address.street`` names all three)."""
    if error is None:
        return set()
    return {part for name in error.invalid_fields for part in name.split(".")}


def _form_page(permit_type: dict, application: dict | None, values: dict[str, str],
               error: PageError | None = None, status: int = 200) -> Any:
    return render_template("permits/permit_form.html", permit_type=permit_type,
                           application=application, values=values, error=error,
                           invalid=invalid_names(error)), status


def _save(permit_type: dict, application: dict | None) -> Any:
    """Create or change the draft; submit it when asked; on to its status page."""
    data = form_data(permit_type["fields"], request.form)
    who = me()
    try:
        with services() as rpc:
            if application is None:
                application = rpc.permits.create_application(g.tenant.id, who,
                                                             permit_type["id"], data,
                                                             company(request.form))
            else:
                application = rpc.permits.update_draft(g.tenant.id, who, application["id"],
                                                       data)
            if request.form.get("action") == "submit":
                rpc.permits.submit_application(g.tenant.id, who, application["id"])
                flash(_("Your application is submitted."), "done")
            else:
                flash(_("Your draft is saved."), "done")
    except Exception as error:  # noqa: BLE001 (shown at the fields)
        problem = page_error(error)
        if problem.status >= 500:
            raise
        return _form_page(permit_type, application, field_values(data) | {
            key: value for key, value in request.form.items() if key != "csrf_token"},
            problem, problem.status)
    return redirect(url_for("permits.application_page", application_id=application["id"]), code=303)


@blueprint.get("/<lang>/permits/<type_id>/apply")
@resident_page
def apply_page(type_id: str):
    """The empty application form of a permit type (after a step-up if the type needs it)."""
    permit_type = permit_type_of(type_id)
    step_up(permit_type.get("minimum_trust_level", "low"))
    return _form_page(permit_type, None, {})


@blueprint.post("/<lang>/permits/<type_id>/apply")
@resident_page
def apply_page_post(type_id: str):
    """Start the draft (and submit it if asked)."""
    permit_type = permit_type_of(type_id)
    step_up(permit_type.get("minimum_trust_level", "low"))
    return _save(permit_type, None)


def _mine(application_id: str) -> dict:
    return fetched_or_404(lambda rpc: rpc.permits.get_application(
        g.tenant.id, me()["subject"], application_id))


@blueprint.get("/<lang>/permits/applications/")
@resident_page
def my_applications_page():
    """The resident's own applications."""
    with services() as rpc:
        mine = rpc.permits.my_applications(g.tenant.id, me()["subject"])
        names = {item["id"]: item["name"] for item in rpc.permits.list_permit_types(g.tenant.id)}
    return render_template("permits/permit_list.html", applications=mine, names=names)


@blueprint.get("/<lang>/permits/applications/<application_id>")
@resident_page
def application_page(application_id: str):
    """Where the application is: state, history, next step; the form while a draft."""
    application = _mine(application_id)
    permit_type = permit_type_of(application["type_id"])
    return render_template("permits/permit_status.html", application=application,
                           permit_type=permit_type, values=field_values(application["data"]),
                           error=None, invalid=set(),
                           last_message=last_message("application", application["id"]))


@blueprint.post("/<lang>/permits/applications/<application_id>")
@resident_page
def application_page_post(application_id: str):
    """Change the draft (and submit it if asked)."""
    application = _mine(application_id)
    return _save(permit_type_of(application["type_id"]), application)


@blueprint.post("/<lang>/permits/applications/<application_id>/attachments")
@resident_page
def upload_page_post(application_id: str):
    """Attach a document (multipart form, works without JavaScript)."""
    try:
        upload, document_id = request.files.get("file"), request.form.get("document_id", "")
    except RequestEntityTooLarge:
        flash(message_for("request_too_large"), "error")
        return redirect(url_for("permits.application_page", application_id=application_id),
                        code=303)
    if upload is None or not upload.filename:
        flash(_("Please choose the file to upload."), "error")
        return redirect(url_for("permits.application_page", application_id=application_id),
                        code=303)
    content = base64.b64encode(upload.read()).decode("ascii")
    return _act(application_id, lambda rpc: rpc.permits.add_attachment(
        g.tenant.id, me(), application_id, document_id, upload.filename, content),
        _("The document %(name)s is uploaded.", name=clean_file_name(upload.filename)))


@blueprint.get("/<lang>/permits/applications/<application_id>/attachments/<attachment_id>")
@resident_page
def resident_download(application_id: str, attachment_id: str):
    """One of the resident's documents, as a download."""
    return attachment_response(fetched_or_404(lambda rpc: rpc.permits.get_attachment(
        g.tenant.id, application_id, attachment_id, applicant=me())))


def _act(application_id: str, call: Callable[[Any], Any], done: str) -> Any:
    """Run ``call``; its outcome as a message on the status page."""
    return act(call, done, url_for("permits.application_page", application_id=application_id))


@blueprint.post("/<lang>/permits/applications/<application_id>/answer")
@resident_page
def answer_page_post(application_id: str):
    """Answer the case worker's request: the asked-for fields and a message."""
    application = _mine(application_id)
    permit_type = permit_type_of(application["type_id"])
    asked = set((application.get("information_request") or {}).get("fields") or [])
    data = form_data([field for field in permit_type["fields"] if field["name"] in asked],
                     request.form)
    message = request.form.get("message", "").strip()
    if not message:
        flash(_("Please write your answer to the case worker."), "error")
        return redirect(url_for("permits.application_page", application_id=application_id),
                        code=303)
    return _act(application_id, lambda rpc: rpc.permits.answer_information_request(
        g.tenant.id, me(), application_id, data, message),
        _("Your answer is sent. The case worker continues with your application."))


@blueprint.post("/<lang>/permits/applications/<application_id>/withdrawal")
@resident_page
def withdraw_page_post(application_id: str):
    """Withdraw, after the confirmation box is ticked and a reason given."""
    reason = request.form.get("reason", "").strip()
    if request.form.get("confirm") != "yes" or not reason:
        flash(_("Please give a reason and tick the box to confirm the withdrawal."), "error")
        return redirect(url_for("permits.application_page", application_id=application_id),
                        code=303)
    return _act(application_id, lambda rpc: rpc.permits.withdraw_application(
        g.tenant.id, me(), application_id, reason),
        _("Your application is withdrawn."))
