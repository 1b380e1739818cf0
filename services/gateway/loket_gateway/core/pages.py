# SPDX-License-Identifier: EUPL-1.2
"""What every area's server-rendered pages share: a blueprint whose URLs start with ``/<lang>/``.

Pages work without JavaScript, in every tenant language. Each area makes its blueprint with
:func:`pages_blueprint`: the language comes from the URL (only the tenant's languages
exist) and links stay in the page's language.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g

from .hosts import host_tenant
from .tenants import Tenant

RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur"})


def current_tenant() -> Tenant:
    """The tenant serving this host (``core/hosts.py`` refused every other host already)."""
    return host_tenant()


def take_language(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Take ``lang`` from the URL; only the tenant's languages exist."""
    if values and "lang" in values:
        lang = values.pop("lang")
        g.tenant = current_tenant()
        if lang not in g.tenant.languages:
            abort(404)  # the error page picks a language the tenant has (error_pages)
        g.lang = lang
        g.dir = "rtl" if lang in RTL_LANGUAGES else "ltr"


def keep_language(endpoint: str, values: dict[str, Any]) -> None:
    """Links stay in the page's language."""
    if "lang" not in values and "lang" in g:
        values["lang"] = g.lang


def pages_blueprint(name: str, import_name: str) -> Blueprint:
    """An area's blueprint of pages, with the page language taken from and kept in URLs."""
    blueprint = Blueprint(name, import_name)
    blueprint.url_value_preprocessor(take_language)
    blueprint.url_defaults(keep_language)
    return blueprint
