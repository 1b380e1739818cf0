# SPDX-License-Identifier: EUPL-1.2
"""The gateway's WSGI application factory: the core first, then each area's ``register(app)``."""
from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import (
    appointments,
    catalogue,
    identity,
    lottery,
    my_data,
    notifications,
    operator,
    permits,
    statistics,
)
from .core import favicon, home_pages
from .core.api_helpers import register_api
from .core.csrf import init_csrf
from .core.error_pages import render_error
from .core.health import health, liveness
from .core.hosts import init_hosts
from .core.i18n import init_i18n
from .core.json_input import StrictJSONProvider
from .core.openapi import init_openapi
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
AREAS = (home_pages, identity, appointments, lottery, catalogue, permits, my_data, notifications,
         statistics, operator)


def create_app(settings: Settings | None = None) -> Flask:
    """Build the gateway for ``settings`` (default: from the environment)."""
    settings = settings or Settings()
    if not settings.secret:
        raise SystemExit("LOKET_GATEWAY_SECRET is not set: the gateway signs proof-of-work "
                         "challenges and form tokens with it (see README, Configuration).")
    if not settings.pseudonym_key:
        raise SystemExit("LOKET_PSEUDONYM_KEY is not set: residents' pseudonymous ids are "
                         "derived with it (see README, Configuration).")
    sealing = settings.rpc_config()  # stops the start without LOKET_RPC_KEYS
    app = Flask(__name__)
    app.json = StrictJSONProvider(app)  # every get_json() refuses too deep or broken text
    init_request_ids(app)  # first, so its hooks see every request
    app.secret_key = settings.secret
    app.config.update(cookie_settings(settings.environment))
    if settings.trusted_proxies:
        # The client address (rate limits) comes from that many X-Forwarded-For hops; the
        # host from X-Forwarded-Host only when configured (core/hosts.py checks it anyway).
        forwarded_host = settings.trusted_proxies if settings.trust_forwarded_host else 0
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies,  # type: ignore[method-assign]
                                x_proto=settings.trusted_proxies, x_host=forwarded_host)
    app.config["JSON_SORT_KEYS"] = False
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    app.extensions["loket_settings"] = settings
    app.extensions["loket_tenants"] = tenants = TenantRegistry.from_file(settings.tenants_file)
    tenants.check_environment(settings.environment)
    init_hosts(app)  # before any blueprint: a host no tenant names is refused first
    app.extensions["loket_gateway_database"] = database = gateway_database(settings)
    init_page_sessions(app, database)  # before any hook that may read the session
    init_signed_in(app, database)
    init_identity_providers(app, app.extensions["loket_tenants"], settings.environment)
    app.extensions["loket_rpc"] = RpcPool(settings.amqp_uri, sealing, settings.rpc_pool_size,
                                          settings.rpc_timeout)
    app.extensions["loket_health_rpc"] = RpcPool(settings.amqp_uri, sealing, 2,
                                                 settings.health_timeout)
    init_i18n(app)
    init_rate_limits(app)
    init_csrf(app)
    init_openapi(app)
    app.register_blueprint(liveness)
    register_api(app, health)
    favicon.register(app)
    for area in AREAS:
        area.register(app)
    app.after_request(with_sign_in_origins(provider_origins(app)))
    app.register_error_handler(Exception, render_error)
    return app
