# SPDX-License-Identifier: EUPL-1.2
"""The gateway's WSGI application factory."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from . import (
    admin_pages,  # noqa: F401 (adds the tenant admins' catalogue pages)
    appointments_api,  # noqa: F401 (adds the appointment routes to the API)
    booking_pages,  # noqa: F401 (adds the booking pages to the web front end)
    case_pages,  # noqa: F401 (adds the case workers' permit pages)
    catalogue_admin_api,  # noqa: F401 (adds the tenant admins' catalogue routes)
    lottery_api,  # noqa: F401 (adds the fair-release lottery routes to the API)
    lottery_pages,  # noqa: F401 (adds the lottery pages to the web front end)
    my_data_api,  # noqa: F401 (adds the residents' own-data routes to the API)
    my_data_pages,  # noqa: F401 (adds the residents' own-data pages)
    my_rights_pages,  # noqa: F401 (adds the export and erasure pages)
    operator_api,  # noqa: F401 (adds the platform operator's tenant list)
    permit_cases_api,  # noqa: F401 (adds the case workers' permit routes)
    permit_pages,  # noqa: F401 (adds the residents' permit pages)
    permits_api,  # noqa: F401 (adds the permit application routes to the API)
    sign_in_pages,  # noqa: F401 (adds sign-in and sign-out through OpenID Connect)
    staff_pages,  # noqa: F401 (adds the counter staff pages)
)
from .api import api
from .csrf import init_csrf
from .health import health
from .i18n import init_i18n
from .identity_providers import init_identity_providers, provider_origins
from .openapi import build_spec
from .problems import from_exception
from .rate_limits import init_rate_limits
from .request_ids import init_request_ids
from .rpc import RpcPool
from .security import cookie_settings, with_sign_in_origins
from .settings import Settings
from .tenants import TenantRegistry
from .web import web

MACHINE_PREFIXES = ("/api/", "/openapi.json", "/health", "/livez")


def create_app(settings: Settings | None = None) -> Flask:
    """Build the gateway for ``settings`` (default: from the environment)."""
    settings = settings or Settings()
    if not settings.secret:
        raise SystemExit("LOKET_GATEWAY_SECRET is not set: the gateway signs proof-of-work "
                         "challenges and staff sessions with it (see README, Configuration).")
    if not settings.pseudonym_key:
        raise SystemExit("LOKET_PSEUDONYM_KEY is not set: residents' pseudonymous ids are "
                         "derived with it (see README, Configuration).")
    app = Flask(__name__)
    init_request_ids(app)  # first, so its hooks see every request
    app.secret_key = settings.secret
    app.config.update(cookie_settings(settings.environment))
    if settings.trusted_proxies:
        # The client address (rate limits) comes from that many X-Forwarded-For hops.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies,  # type: ignore[method-assign]
                                x_proto=settings.trusted_proxies,
                                x_host=settings.trusted_proxies)
    app.config["JSON_SORT_KEYS"] = False
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    app.extensions["loket_settings"] = settings
    app.extensions["loket_tenants"] = TenantRegistry.from_file(settings.tenants_file)
    init_identity_providers(app, app.extensions["loket_tenants"], settings.environment)
    app.extensions["loket_rpc"] = RpcPool(settings.amqp_uri, settings.rpc_pool_size,
                                          settings.rpc_timeout)
    app.extensions["loket_health_rpc"] = RpcPool(settings.amqp_uri, 2, settings.health_timeout)
    init_i18n(app)
    init_rate_limits(app)
    init_csrf(app)
    app.register_blueprint(api)
    app.register_blueprint(health)
    app.register_blueprint(web)
    app.after_request(with_sign_in_origins(provider_origins(app)))
    app.register_error_handler(Exception, _render_error)
    spec = build_spec(app)
    app.add_url_rule("/openapi.json", "openapi", lambda: jsonify(spec))
    return app


def _render_error(error: Exception):
    """problem+json for machines; an accessible HTML page for people."""
    if isinstance(error, HTTPException) and error.response is not None:
        return error.response  # e.g. abort(redirect(...)): the step-up sign-in
    response = from_exception(error)
    if request.path.startswith(MACHINE_PREFIXES) or request.path == "/":
        return response
    return render_template("error.html", status=response.status_code), response.status_code
