# SPDX-License-Identifier: EUPL-1.2
"""What every area's JSON API under ``/api/v1`` shares: its blueprint, tenant and secret checks.

Each area makes its API blueprint with :func:`api_blueprint` (an :class:`ApiBlueprint`:
flask-smorest's, whose ``route`` also checks the tenant and a secret link's token first
and documents every error status) and adds it with :func:`register_api`. Who asks is
checked above ``arguments`` (``identity.access.require_role`` / ``as_resident``), so the
body is read only for a caller who may send it.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any

import flask_smorest
from flask import Flask, current_app, request

from . import api_schemas
from .errors import NotAuthenticated, UnknownTenant
from .openapi import PROBLEM_MEDIA, RequestParser, error_statuses

API_PREFIX = "/api/v1"
# The secret-link schemes: the header that carries the secret, and what it is.
SECRETS = {"manageToken": ("X-Manage-Token", "the secret of your manage link"),
           "statusToken": ("X-Status-Token", "the entry's status token")}


class ApiBlueprint(flask_smorest.Blueprint):
    """An area's API routes: flask-smorest's blueprint, with Loket's checks and errors.

    Its :meth:`route` checks who asks before anything is read (the tenant in the path,
    a secret link's token), then the declared ``arguments`` load the body or query
    (``400 validation_failed``), then the view runs; ``response`` dumps its answer.
    """

    ARGUMENTS_PARSER = RequestParser()

    def route(self, rule: str, *, summary: str, security: str | None = None,
              refuses: Mapping[int, str] | None = None, calls_services: bool = True,
              headers: Mapping[str, str] | None = None,
              **options: Any) -> Callable[[Callable], Callable]:
        """Declare an API route: ``summary``, its ``security`` scheme, the errors it gives.

        ``refuses`` maps further statuses (409, 412, ...) to what they mean here;
        ``calls_services`` adds 502/503/504; ``headers`` documents request headers.
        """
        register = super().route(rule, **options)

        def decorate(view: Callable) -> Callable:
            doc: dict[str, Any] = {"summary": summary, "operationId": view.__name__}
            if security:
                doc["security"] = [{security: []}]
            if headers:
                doc["parameters"] = [{"in": "header", "name": name, "required": False,
                                      "description": meaning, "schema": {"type": "string"}}
                                     for name, meaning in headers.items()]
            view = self.doc(**doc)(view)
            for status, meaning in sorted(error_statuses(rule, view, security, refuses,
                                                         calls_services).items()):
                view = self.alt_response(status, schema=api_schemas.ProblemSchema,
                                         content_type=PROBLEM_MEDIA,
                                         description=meaning)(view)
            return register(_checked_first(view, security))
        return decorate


def _checked_first(view: Callable, security: str | None) -> Callable:
    """``view`` behind the checks that come before reading a request: tenant, secret link."""
    @wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        if "tenant" in kwargs:
            known_tenant(kwargs["tenant"])
        if security in SECRETS:
            request_secret(*SECRETS[security])
        return view(*args, **kwargs)
    return checked


def api_blueprint(name: str, import_name: str, description: str = "",
                  url_prefix: str = API_PREFIX) -> ApiBlueprint:
    """An area's blueprint of JSON API routes, under ``/api/v1``; its name is its tag."""
    return ApiBlueprint(name, import_name, url_prefix=url_prefix, description=description)


def register_api(app: Flask, blueprint: ApiBlueprint) -> None:
    """Add an API blueprint to ``app`` and its document, exempt from the forms' CSRF check.

    Bearer tokens, never cookies: another site cannot make a browser send them.
    """
    app.extensions["loket_api"].register_blueprint(blueprint)
    app.extensions["csrf"].exempt(blueprint)


def known_tenant(tenant: str) -> str:
    """``tenant`` when this gateway serves it (404 ``unknown_tenant`` otherwise)."""
    if current_app.extensions["loket_tenants"].get(tenant) is None:
        raise UnknownTenant(f"No municipality '{tenant[:40]}' is served here.")
    return tenant


def request_secret(header: str, what: str) -> str:
    """A secret link's token, from ``header`` or ``?token=`` (401 problem when missing)."""
    token = request.headers.get(header) or request.args.get("token", "")
    if not token:
        raise NotAuthenticated(f"Send {what} as '{header}' or '?token='.")
    return token
