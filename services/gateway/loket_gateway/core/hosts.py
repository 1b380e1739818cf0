# SPDX-License-Identifier: EUPL-1.2
"""Only configured host names are served: the one check of the request's ``Host``.

A request whose host name no tenant lists (``tenants.yml``: the public URL's host and
``hosts``) is ``400 unknown_host`` before anything else looks at it: problem+json for the
API, a page in the URL's (or the browser's) language otherwise. The check is an app-wide
URL value preprocessor, which Flask runs before the blueprints' (the page language and
tenant) and before every ``before_request`` (rate limits, CSRF). Orchestrators' probes
(``/livez``, ``/health``) answer on any host: Kubernetes names the pod's address, and they
build no URL and serve no tenant. The API answers on every configured host (its path names
the tenant, and its links come from that tenant's public URL). A page fetched on another
of its tenant's host names moves to the public URL first, so a sign-in, whose state is in
the session cookie, starts and ends on one host.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import Flask, abort, current_app, g, redirect, render_template, request

from .error_messages import MESSAGES
from .errors import UnknownHost
from .problems import from_exception
from .tenants import Tenant, TenantRegistry, host_name

PROBES = frozenset({"/livez", "/health"})
MACHINE_PREFIXES = ("/api/", "/openapi.json")
PATH_SAFE = "/:@!$&'()*+,;=-._~"  # RFC 3986 pchar and "/": what a path keeps unquoted


def _registry() -> TenantRegistry:
    return current_app.extensions["loket_tenants"]


def host_tenant() -> Tenant:
    """The tenant whose host name the request names (``400 unknown_host`` when none)."""
    tenant = _registry().for_host(request.host)
    if tenant is None:
        raise UnknownHost("This host name is not served here.")
    return tenant


def check_host(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Refuse an unknown host; move a page on another host name of its tenant to the public one."""
    if request.path in PROBES:
        return
    tenant = host_tenant()
    if (request.method in ("GET", "HEAD") and not request.path.startswith(MACHINE_PREFIXES)
            and host_name(request.host) != tenant.hosts[0]):
        query = request.query_string.decode("latin-1")
        target = tenant.public_url + quote(request.script_root + request.path, safe=PATH_SAFE)
        abort(redirect(target + (f"?{query}" if query else ""), code=307))


def page_language() -> str:
    """The language of the URL (``/de/...``), else the browser's best, of those offered here."""
    tenants = list(_registry().by_id.values())
    offered = sorted({language for tenant in tenants for language in tenant.languages})
    first = request.path.split("/")[1]
    if first in offered:
        return first
    return request.accept_languages.best_match(offered) or tenants[0].default_language


def unknown_host_answer(error: UnknownHost) -> Any:
    """problem+json for machines; an accessible page, in a language the reader reads, else."""
    from .pages import RTL_LANGUAGES  # pages finds its tenant here: imported late

    if request.path.startswith(MACHINE_PREFIXES):
        return from_exception(error)
    g.lang = page_language()
    g.dir = "rtl" if g.lang in RTL_LANGUAGES else "ltr"
    return render_template("unknown_host.html",
                           message=MESSAGES[error.code]({})), error.status


def init_hosts(app: Flask) -> None:
    """Check every request's host first (call before any blueprint is registered)."""
    app.url_value_preprocessor(check_host)
    app.register_error_handler(UnknownHost, unknown_host_answer)
