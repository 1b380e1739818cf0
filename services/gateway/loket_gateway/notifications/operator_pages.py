# SPDX-License-Identifier: EUPL-1.2
"""The platform operator's page: messages per state and the permanent failures, with resend.

``/<lang>/operator/notifications`` (``?tenant=`` one tenant, ``?after=`` the next page).
The operator signs in on a tenant's staff sign-in and gets a session that opens only these
pages (:func:`identity.access.operator_page`); nothing here names a person.
"""
from __future__ import annotations

from typing import Any

from flask import abort, current_app, g, render_template, request, url_for
from flask_babel import gettext as _

from loket_contracts.notifications.schemas import MESSAGE_STATES

from ..core.page_helpers import act, services
from ..core.pages import pages_blueprint
from ..identity.access import operator_page

blueprint = pages_blueprint("operator_pages", __name__)

PAGE_SIZE = 25


def _tenant_ids() -> list[str]:
    return sorted(current_app.extensions["loket_tenants"].by_id)


@blueprint.get("/<lang>/operator/notifications")
@operator_page
def operator_notifications():
    """Counts per state (every tenant, or the chosen one) and the failures, oldest first."""
    tenant = request.args.get("tenant", "")
    tenant = tenant if tenant in _tenant_ids() else ""
    after = request.args.get("after", "")[:500] or None
    with services() as rpc:
        counts = rpc.notifications.message_counts(tenant or None)
        failures = rpc.notifications.failed_messages(tenant or None, PAGE_SIZE, after)
    chosen: dict[str, Any] = {"tenant": tenant} if tenant else {}
    return render_template(
        "notifications/operator.html", tenants=_tenant_ids(), tenant=tenant,
        states=MESSAGE_STATES, counts=counts["counts"], failures=failures["items"],
        next_url=url_for("operator_pages.operator_notifications", **chosen,
                         after=failures["next"]) if failures.get("next") else None,
        first_url=url_for("operator_pages.operator_notifications", **chosen)
        if after else None)


@blueprint.post("/<lang>/operator/notifications/<tenant>/<message_id>/resend")
@operator_page
def operator_resend(tenant: str, message_id: str):
    """Send a failed message again; back to the page (same tenant filter)."""
    if tenant not in _tenant_ids():
        abort(404)
    back = request.form.get("filter", "")
    chosen: dict[str, Any] = {"tenant": back} if back in _tenant_ids() else {}
    return act(lambda rpc: rpc.notifications.resend_message(
        tenant, message_id, {"subject": g.staff["subject"], "role": g.staff["role"]}),
        _("The message is queued to be sent again."),
        url_for("operator_pages.operator_notifications", **chosen))
