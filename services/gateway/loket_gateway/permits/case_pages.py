# SPDX-License-Identifier: EUPL-1.2
"""Case workers' pages: the queue of permit applications and the case view.

Staff sign in on the counter staff's sign-in page (:mod:`identity.sign_in_pages`); these pages need
the ``case_worker`` role (tenant admins have it). Every action is a form with the
CSRF token (csrf.py) and goes back to the case with a 303.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..core.page_helpers import act, fetched_or_404, page_error, services
from ..core.pages import pages_blueprint
from ..identity.access import staff_page
from ..identity.staff_roles import CASE_WORKER
from .case_api import queue_query
from .resident_api import attachment_response

blueprint = pages_blueprint("cases", __name__)
log = logging.getLogger(__name__)

FILTERS = ("type_id", "state", "assigned_to", "after")
TARGETS = ("in_review", "information_requested", "approved", "rejected")


def _filters() -> dict[str, str]:
    """The queue's filters from the query string (empty ones left out)."""
    chosen = {key: request.args.get(key, "").strip() for key in FILTERS}
    if request.args.get("overdue") == "true":
        chosen["overdue"] = "true"
    return {key: value for key, value in chosen.items() if value}


def _type_names() -> dict[str, Any]:
    with services() as rpc:
        return {item["id"]: item["name"] for item in rpc.permits.list_permit_types(g.tenant.id)}


@blueprint.get("/<lang>/staff/cases/")
@staff_page(role=CASE_WORKER)
def case_queue_page():
    """The queue, filtered by type, state, assignment and overdue; paged by cursor."""
    chosen, error = _filters(), None
    try:
        query = queue_query({**chosen, "limit": "25"})
        with services() as rpc:
            found = rpc.permits.case_queue(g.tenant.id, query)
    except Exception as failed:  # noqa: BLE001 (a bad filter: shown above the queue)
        error, found = page_error(failed), {"items": [], "next": None, "total": 0}
        if error.status >= 500:
            raise
    following: dict[str, Any] = {key: value for key, value in chosen.items() if key != "after"}
    return render_template("permits/case_queue.html", cases=found, chosen=chosen, error=error,
                           names=_type_names(), me=g.staff["subject"],
                           next_url=url_for("cases.case_queue_page", **following,
                                            after=found["next"]) if found["next"] else None,
                           first_url=url_for("cases.case_queue_page", **following)
                           if "after" in chosen else None)


def _case(application_id: str) -> dict:
    return fetched_or_404(lambda rpc: rpc.permits.get_case(g.tenant.id, application_id,
                                                           actor=g.staff))


@blueprint.get("/<lang>/staff/cases/<application_id>")
@staff_page(role=CASE_WORKER)
def case_page(application_id: str):
    """One case: its data with the labels, documents, history and the possible actions."""
    case = _case(application_id)
    with services() as rpc:
        permit_type = rpc.permits.get_permit_type(g.tenant.id, case["type_id"])
    return render_template("permits/case_view.html", case=case, permit_type=permit_type,
                           me=g.staff["subject"], sent=_messages(application_id))


def _messages(application_id: str) -> dict[str, Any] | None:
    """What was sent to the applicant (``CaseMessagesSchema``).

    None when notifications does not answer (the case view says so and shows the rest).
    """
    try:
        with services() as rpc:
            return rpc.notifications.messages_about(g.tenant.id, "application",
                                                    application_id, g.staff)
    except Exception as error:  # noqa: BLE001 (the case stays workable without it)
        log.warning("notifications.messages_about failed: %s", type(error).__name__)
        return None


@blueprint.post("/<lang>/staff/cases/<application_id>/messages/<message_id>/resend")
@staff_page(role=CASE_WORKER)
def case_resend_message(application_id: str, message_id: str):
    """Send a failed or bounced message to the applicant again (to the address they have now)."""
    return _act(application_id, lambda rpc: rpc.notifications.resend_message(
        g.tenant.id, message_id, {"subject": g.staff["subject"], "role": g.staff["role"]}),
        _("The message is queued to be sent again."))


@blueprint.get("/<lang>/staff/cases/<application_id>/attachments/<attachment_id>")
@staff_page(role=CASE_WORKER)
def case_download(application_id: str, attachment_id: str):
    """A document of the case, as a download."""
    return attachment_response(fetched_or_404(lambda rpc: rpc.permits.get_attachment(
        g.tenant.id, application_id, attachment_id, actor=g.staff)))


def _act(application_id: str, call: Callable[[Any], Any], done: str) -> Any:
    return act(call, done, url_for("cases.case_page", application_id=application_id))


@blueprint.post("/<lang>/staff/cases/<application_id>/assignment")
@staff_page(role=CASE_WORKER)
def case_assign_post(application_id: str):
    """Assign the case to the signed-in case worker."""
    return _act(application_id, lambda rpc: rpc.permits.assign_case(
        g.tenant.id, application_id, g.staff["subject"], g.staff),
        _("The case is assigned to you."))


@blueprint.post("/<lang>/staff/cases/<application_id>/transitions")
@staff_page(role=CASE_WORKER)
def case_transition_post(application_id: str):
    """Start the review, ask for information, approve or reject (with a reason)."""
    to = request.form.get("to", "")
    if to not in TARGETS:
        abort(400)
    reason = request.form.get("reason", "").strip() or None
    asked = None
    if to == "information_requested":
        message = request.form.get("message", "").strip()
        if not message:
            flash(_("Please write what the applicant should add or change."), "error")
            return redirect(url_for("cases.case_page", application_id=application_id), code=303)
        try:
            answer_by = _answer_by(request.form.get("answer_by", ""))
        except ValueError:
            flash(_("Please give the day to answer by as a date from today on, or leave it "
                    "empty (14 days)."), "error")
            return redirect(url_for("cases.case_page", application_id=application_id), code=303)
        asked = {"message": message, "fields": request.form.getlist("fields"),
                 **({"answer_by": answer_by} if answer_by else {})}  # else permits' default
        reason = reason or message
    elif to in ("approved", "rejected") and not reason:
        flash(_("Please give the reason for the decision."), "error")
        return redirect(url_for("cases.case_page", application_id=application_id), code=303)
    done = {"in_review": _("The review has started."),
            "information_requested": _("The applicant is asked for more information."),
            "approved": _("The application is approved."),
            "rejected": _("The application is rejected.")}[to]
    return _act(application_id, lambda rpc: rpc.permits.transition_case(
        g.tenant.id, application_id, to, reason, g.staff, information_request=asked), done)


def _answer_by(value: str) -> str | None:
    """The form's "answer by" day (ISO), None when empty; ValueError if in the past."""
    if not value.strip():
        return None
    day = date.fromisoformat(value.strip())
    if day < date.today():
        raise ValueError(value)
    return day.isoformat()
