# SPDX-License-Identifier: EUPL-1.2
"""The resident's data-protection rights on pages.

Everything held about me (readable and as JSON), erasure with a confirmation, and its
progress (refreshed by a link, no JS).

Both need the trust level the tenant sets for ``export`` and ``erasure``
(:func:`identity.access.required_level`); below it the resident is sent to a step-up sign-in.
"""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..core.page_helpers import page_error, services
from ..core.pages import pages_blueprint
from ..identity.access import required_level, resident_page, step_up
from .api import download, export_document

blueprint = pages_blueprint("my_rights", __name__)


def needs_level(action: str) -> None:
    """On to a step-up sign-in unless the resident's trust level suffices for ``action``."""
    step_up(required_level(g.tenant.id, action))


@blueprint.get("/<lang>/me/data")
@resident_page
def my_data_page():
    """Everything every service holds about me, grouped per service."""
    needs_level("export")
    with services() as rpc:
        document = export_document(rpc, g.tenant.id, g.resident.subject)
        erasure = rpc.profile.erasure_status(g.tenant.id, g.resident.subject)
    return render_template("my_data/my_data.html", document=document, erasure=erasure)


@blueprint.get("/<lang>/me/data.json")
@resident_page
def my_data_download():
    """The same as one JSON file."""
    needs_level("export")
    with services() as rpc:
        document = export_document(rpc, g.tenant.id, g.resident.subject)
    return download(document, g.tenant.id)


@blueprint.get("/<lang>/me/data/erase")
@resident_page
def my_erasure_confirm():
    """What erasure deletes, what the law makes us keep (anonymised), and the button."""
    needs_level("erasure")
    return render_template("my_data/my_erase.html", error=False)


@blueprint.post("/<lang>/me/data/erase")
@resident_page
def my_erasure_request():
    """Ask every service to erase my data; then the progress page."""
    needs_level("erasure")
    if request.form.get("confirm") != "yes":
        return render_template("my_data/my_erase.html", error=True), 400
    try:
        with services() as rpc:
            rpc.profile.request_erasure(g.tenant.id, g.resident.subject)
    except Exception as error:  # noqa: BLE001 (e.g. already requested: show the progress)
        if page_error(error).status >= 500:
            raise
    flash(_("Your request to erase your data is received."), "done")
    return redirect(url_for("my_rights.my_erasure_progress"), code=303)


@blueprint.get("/<lang>/me/data/erasure")
@resident_page
def my_erasure_progress():
    """Each service's state of my erasure request; a link loads it again."""
    with services() as rpc:
        erasure = rpc.profile.erasure_status(g.tenant.id, g.resident.subject)
    return render_template("my_data/my_erasure.html", erasure=erasure)
