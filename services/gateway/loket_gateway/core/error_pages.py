# SPDX-License-Identifier: EUPL-1.2
"""Error pages for people, problem+json for machines; a page is in a language it really has.

The page's language is its URL's prefix when the tenant offers it, else the best one the
browser accepts, else the tenant's default (with no tenant: of the languages the gateway
has catalogues for, else English), and ``<html lang>`` says that language. A prefix that
names a regional or differently written variant of an offered language (``/de-DE/...``,
``/DE/...``) is redirected to it for GET and HEAD (``301``, a path on this host only); any
other unknown prefix is a ``404`` page.
"""
from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from flask import g, redirect, render_template, request
from flask_babel import ngettext, refresh
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

from .errors import UnknownHost
from .hosts import host_tenant
from .pages import RTL_LANGUAGES
from .problems import from_exception
from .tenants import Tenant

MACHINE_PREFIXES = ("/api/", "/openapi.json", "/health", "/livez")
# The languages pages can be shown in: English (the texts' own) and every catalogue.
CATALOGUES = Path(__file__).resolve().parents[1] / "translations"
PAGE_LANGUAGES = ("en", *sorted(path.name for path in CATALOGUES.iterdir()
                                if (path / "LC_MESSAGES").is_dir()))
# A language tag's primary part and any region, script or variant parts after it.
LANGUAGE_TAG = re.compile(r"([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*")


def is_machine_request() -> bool:
    """Whether the request is the API's (or ``/``, which only redirects): no HTML page."""
    return request.path.startswith(MACHINE_PREFIXES) or request.path == "/"


def _tenant() -> Tenant | None:
    if g.get("tenant"):
        return g.tenant
    try:
        return host_tenant()
    except UnknownHost:
        return None


def _prefix() -> str:
    return request.path.split("/", 2)[1]


def page_language(tenant: Tenant | None) -> str:
    """The language of an error page (see the module's docstring)."""
    if g.get("lang"):
        return g.lang
    languages = tenant.languages if tenant else PAGE_LANGUAGES
    if _prefix() in languages:
        return _prefix()
    best = request.accept_languages.best_match(languages)
    return best or (tenant.default_language if tenant else "en")


def language_variant_redirect(tenant: Tenant | None) -> Response | None:
    """``/de-DE/rest`` to ``/de/rest`` when ``de`` is offered (GET and HEAD only)."""
    found = LANGUAGE_TAG.fullmatch(_prefix())
    if tenant is None or found is None or request.method not in ("GET", "HEAD"):
        return None
    language = found.group(1).lower()
    if language == _prefix() or language not in tenant.languages:
        return None
    rest = request.path.split("/", 2)[2] if request.path.count("/") > 1 else ""
    query = request.query_string.decode("latin-1")
    # Always "/<language>/...": a path on this host, never another host.
    return redirect(f"/{language}/{rest}" + (f"?{query}" if query else ""), code=301)


def render_error_page(status: int, headers: dict[str, str] | None = None,
                      **context: Any) -> tuple[str, int, dict[str, str]]:
    """``error.html`` with ``status``, in :func:`page_language`, with a true ``lang``."""
    tenant = _tenant()
    if tenant is not None:
        g.tenant = tenant
    g.lang = page_language(tenant)
    g.dir = "rtl" if g.lang in RTL_LANGUAGES else "ltr"
    refresh()  # a text translated earlier in the request must not fix the language
    page = render_template("error.html", status=status, wait_text=wait_text, **context)
    return page, status, headers or {}


def wait_text(seconds: int) -> str:
    """How long to wait, in whole seconds up to two minutes, else in whole minutes (rounded up)."""
    if seconds < 120:
        return ngettext("Please wait %(num)d second, then try again.",
                        "Please wait %(num)d seconds, then try again.", seconds)
    minutes = math.ceil(seconds / 60)
    return ngettext("Please wait %(num)d minute, then try again.",
                    "Please wait %(num)d minutes, then try again.", minutes)


def render_error(error: Exception):
    """The app's error handler: problem+json for machines, an accessible page for people."""
    if isinstance(error, HTTPException) and error.response is not None:
        return error.response  # e.g. abort(redirect(...)): the step-up sign-in
    if isinstance(error, InternalServerError) and isinstance(error.original_exception,
                                                             Exception):
        error = error.original_exception  # raised outside a view (saving the session)
    response = from_exception(error)
    if is_machine_request():
        return response
    status = response.status_code
    if status == 404:
        moved = language_variant_redirect(_tenant())
        if moved is not None:
            return moved
    headers = {name: value for name, value in response.headers.items() if name == "Retry-After"}
    return render_error_page(status, headers)
