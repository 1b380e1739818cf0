# SPDX-License-Identifier: EUPL-1.2
"""The gateway's WSGI application factory: the core first, then each area's ``register(app)``."""
from __future__ import annotations

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.middleware.proxy_fix import ProxyFix

from . import appointments, catalogue, identity, lottery, my_data, operator, permits
from .core import home_pages
from .core.api_helpers import register_api
from .core.csrf import init_csrf
from .core.health import health, liveness
from .core.i18n import init_i18n
from .core.openapi import init_openapi
from .core.problems import from_exception
from .core.rate_limits import init_rate_limits
from .core.request_ids import init_request_ids
from .core.rpc import RpcPool
from .core.security import cookie_settings, with_sign_in_origins
from .core.settings import Settings
from .core.tenants import TenantRegistry
from .identity.providers import init_identity_providers, provider_origins
from .identity.session_store import gateway_database, init_page_sessions
from .identity.sessions import init_signed_in

# Each area adds its blueprints (its JSON API and its pages) in its ``register(app)``.
AREAS = (home_pages, identity, appointments, lottery, catalogue, permits, my_data, operator)

MACHINE_PREFIXES = ("/api/", "/openapi.json", "/health", "/livez")


def create_app(settings: Settings | None = None) -> Flask:
    """Build the gateway for ``settings`` (default: from the environment)."""
    settings = settings or Settings()
    if not settings.secret:
        raise SystemExit("LOKET_GATEWAY_SECRET is not set: the gateway signs proof-of-work "
                         "challenges and form tokens with it (see README, Configuration).")
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
    database = gateway_database(settings)
    init_page_sessions(app, database)  # before any hook that may read the session
    init_signed_in(app, database)
    app.extensions["loket_tenants"] = TenantRegistry.from_file(settings.tenants_file)
    init_identity_providers(app, app.extensions["loket_tenants"], settings.environment)
    app.extensions["loket_rpc"] = RpcPool(settings.amqp_uri, settings.rpc_pool_size,
                                          settings.rpc_timeout)
    app.extensions["loket_health_rpc"] = RpcPool(settings.amqp_uri, 2, settings.health_timeout)
    init_i18n(app)
    init_rate_limits(app)
    init_csrf(app)
    init_openapi(app)
    app.register_blueprint(liveness)
    register_api(app, health)
    for area in AREAS:
        area.register(app)
    app.after_request(with_sign_in_origins(provider_origins(app)))
    app.register_error_handler(Exception, _render_error)
    return app


def _render_error(error: Exception):
    """problem+json for machines; an accessible HTML page for people."""
    if isinstance(error, HTTPException) and error.response is not None:
        return error.response  # e.g. abort(redirect(...)): the step-up sign-in
    if isinstance(error, InternalServerError) and isinstance(error.original_exception,
                                                             Exception):
        error = error.original_exception  # raised outside a view (saving the session)
    response = from_exception(error)
    if request.path.startswith(MACHINE_PREFIXES) or request.path == "/":
        return response
    headers = {name: value for name, value in response.headers.items() if name == "Retry-After"}
    status = response.status_code
    return render_template("error.html", status=status), status, headers
