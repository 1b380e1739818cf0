# SPDX-License-Identifier: EUPL-1.2
"""Pages about messages: a resident's messages, a tenant admin's kinds and previews.

``/<lang>/me/messages`` (residents: what was sent to me, when, its state with the history),
``/<lang>/admin/notifications`` (tenant admins: every kind with an on/off form) and
``/<lang>/admin/notifications/preview`` (every template in every language with sample
data; the HTML part in a sandboxed ``srcdoc`` frame, see ``core.security.PREVIEW_POLICY``).
"""
from __future__ import annotations

from typing import Any

from flask import abort, g, render_template, request, url_for
from flask_babel import gettext as _

from loket_contracts.notifications.schemas import KINDS

from ..core import message_status as status
from ..core.page_helpers import act, services
from ..core.pages import pages_blueprint
from ..identity.access import resident_page, staff_page
from ..identity.staff_roles import TENANT_ADMIN

blueprint = pages_blueprint("notification_pages", __name__)


@blueprint.app_context_processor
def message_names() -> dict[str, Any]:
    """Kinds, states and channels of messages in words, for every page."""
    return status.names()


@blueprint.get("/<lang>/me/messages")
@resident_page
def my_messages_page():
    """The messages sent to me, newest first: when, what, the subject line, each state."""
    with services() as rpc:
        messages = rpc.notifications.messages_for_subject(g.tenant.id, g.resident.subject)
    return render_template("notifications/my_messages.html", messages=messages)


@blueprint.get("/<lang>/admin/notifications")
@staff_page(role=TENANT_ADMIN)
def admin_notifications():
    """Every kind of message, whether the municipality sends it, and a switch for each."""
    with services() as rpc:
        kinds = rpc.notifications.list_kinds(g.tenant.id)
    return render_template("notifications/admin_kinds.html", kinds=kinds)


@blueprint.post("/<lang>/admin/notifications/<kind>")
@staff_page(role=TENANT_ADMIN)
def admin_switch_kind(kind: str):
    """Switch one kind on (``enabled=true``) or off (``enabled=false``)."""
    if kind not in KINDS:
        abort(404)
    enabled = request.form.get("enabled") == "true"
    name = status.kind_names()[kind]
    done = (_("“%(kind)s” is sent again.", kind=name) if enabled else
            _("“%(kind)s” is no longer sent.", kind=name))
    return act(lambda rpc: rpc.notifications.set_kind_enabled(g.tenant.id, kind, enabled,
                                                              g.staff),
               done, url_for("notification_pages.admin_notifications"))


@blueprint.get("/<lang>/admin/notifications/preview")
@staff_page(role=TENANT_ADMIN)
def admin_preview():
    """Every template in every language, rendered with sample data."""
    with services() as rpc:
        previews = rpc.notifications.preview_templates(g.tenant.id)
    order = {kind: index for index, kind in enumerate(KINDS)}
    by_kind: dict[str, list[dict]] = {}
    for preview in sorted(previews, key=lambda item: (order.get(item["kind"], len(order)),
                                                      item["language"])):
        by_kind.setdefault(preview["kind"], []).append(preview)
    g.preview_frames = True  # core.security.with_preview_frames
    return render_template("notifications/admin_preview.html", by_kind=by_kind)
