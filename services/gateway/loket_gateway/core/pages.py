# SPDX-License-Identifier: EUPL-1.2
"""Server-rendered pages for residents: work without JavaScript, in every tenant language."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for

from .rpc import services
from .tenants import Tenant

web = Blueprint("web", __name__)

RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur"})


def current_tenant() -> Tenant:
    """The tenant serving this host (404 when none does)."""
    tenant = current_app.extensions["loket_tenants"].for_host(request.host)
    if tenant is None:
        abort(404)
    return tenant


@web.url_value_preprocessor
def take_language(endpoint, values) -> None:
    """Take ``lang`` from the URL; only the tenant's languages exist."""
    if values and "lang" in values:
        g.lang = values.pop("lang")
        g.tenant = current_tenant()
        if g.lang not in g.tenant.languages:
            abort(404)
        g.dir = "rtl" if g.lang in RTL_LANGUAGES else "ltr"


@web.url_defaults
def keep_language(endpoint, values) -> None:
    """Links stay in the page's language."""
    if "lang" not in values and "lang" in g:
        values["lang"] = g.lang


@web.get("/")
def root():
    """Send the visitor to the home page in the best language they accept."""
    tenant = current_tenant()
    lang = request.accept_languages.best_match(tenant.languages) or tenant.default_language
    return redirect(url_for("web.home", lang=lang), code=303)


@web.get("/<lang>/")
def home():
    """The tenant's services: where to book an appointment, what to apply for."""
    with services() as rpc:
        offices = rpc.appointments.list_offices(g.tenant.id)
        permit_types = rpc.permits.list_permit_types(g.tenant.id)
    return render_template("home.html", offices=offices, permit_types=permit_types)
