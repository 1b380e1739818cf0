# SPDX-License-Identifier: EUPL-1.2
"""The tenant's start pages: ``/`` (to the best language) and ``/<lang>/`` (what it offers)."""
from __future__ import annotations

from flask import Flask, g, redirect, render_template, request, url_for

from .pages import current_tenant, pages_blueprint
from .rpc import services

blueprint = pages_blueprint("home", __name__)


def register(app: Flask) -> None:
    """Add the start pages."""
    app.register_blueprint(blueprint)


@blueprint.get("/")
def root():
    """Send the visitor to the home page in the best language they accept."""
    tenant = current_tenant()
    lang = request.accept_languages.best_match(tenant.languages) or tenant.default_language
    return redirect(url_for("home.home", lang=lang), code=303)


@blueprint.get("/<lang>/")
def home():
    """The tenant's services: where to book an appointment, what to apply for."""
    with services() as rpc:
        offices = rpc.appointments.list_offices(g.tenant.id)
        permit_types = rpc.permits.list_permit_types(g.tenant.id)
    return render_template("home.html", offices=offices, permit_types=permit_types)
