# SPDX-License-Identifier: EUPL-1.2
"""Tenant admins: which staff are signed in, and ending a staff member's sessions at once.

Only a tenant admin of this tenant (``staff_page(role=TENANT_ADMIN)``); the forms carry the
CSRF token. Ending deletes the staff member's sign-in records in every browser
(:func:`.sessions.end_everywhere`), so their next request goes to the sign-in.
"""
from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from ..core.pages import pages_blueprint
from . import sessions
from .access import staff_page
from .staff_roles import TENANT_ADMIN

blueprint = pages_blueprint("staff_sessions", __name__)


@blueprint.get("/<lang>/admin/staff-sessions")
@staff_page(role=TENANT_ADMIN)
def staff_sessions_page() -> Any:
    """The staff of this municipality signed in now, each with a button to end their sessions."""
    return render_template("identity/staff_sessions.html",
                           people=sessions.signed_in_staff(g.tenant.id),
                           me=g.staff["subject"])


@blueprint.post("/<lang>/admin/staff-sessions/end")
@staff_page(role=TENANT_ADMIN)
def end_staff_sessions() -> Any:
    """End every session of the staff member named by the form's ``subject``."""
    subject = request.form.get("subject", "")
    ended = sessions.end_everywhere(sessions.STAFF, g.tenant.id, subject) if (
        subject.startswith("staff:")) else 0
    if ended:
        flash(ngettext("%(num)d session ended.", "%(num)d sessions ended.", ended), "success")
    else:
        flash(_("This staff member was not signed in (any more)."), "success")
    if sessions.current(sessions.STAFF, g.tenant.id) is None:  # the admin ended their own
        return redirect(url_for("home.home"), code=303)
    return redirect(url_for(".staff_sessions_page"), code=303)
