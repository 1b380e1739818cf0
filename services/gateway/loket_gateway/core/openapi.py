# SPDX-License-Identifier: EUPL-1.2
"""The JSON API's contract as flask-smorest declares it, and ``/openapi.json`` from it.

Every API route is declared on an :class:`~.api_helpers.ApiBlueprint`: its request
schema (``@blueprint.arguments``, loaded and validated before the view runs), its answer
(``@blueprint.response``, which dumps what the view returns through the schema, so the
gateway cannot send what the document does not describe) and, through its ``route``,
every error status it can give (:func:`error_statuses`): what the route declares it does
(a tenant in the path, a credential, a body, a rate limit, service calls) plus what the
view names itself (``refuses``), each answered as ``application/problem+json``. The
document is flask-smorest's, served at ``/openapi.json`` and committed as
``docs/openapi.json`` (``make openapi``; a test fails when they differ).
"""
from __future__ import annotations

import http
from collections.abc import Callable, Mapping
from typing import Any, NoReturn, cast

import flask_smorest
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from flask import Flask
from marshmallow import Schema
from webargs.flaskparser import FlaskParser

from loket_common.errors import invalid_params

from . import api_schemas
from .errors import MalformedJson, ValidationFailed
from .json_input import strict_loads

PROBLEM_MEDIA = "application/problem+json"
RATE_LIMITED = "_loket_rate_limited"
# What each error status means across the API; a route may say more in ``refuses``.
MEANING = {
    400: "Invalid request: `invalid_params` names each field",
    401: "No valid credentials",
    403: "Valid credentials, but not allowed here (another municipality, the wrong role, "
         "or a trust level too low)",
    404: "Unknown municipality, or no such resource here",
    409: "Not possible in the current state",
    412: "Changed meanwhile: the `If-Match` version is stale",
    413: "The request is too large",
    428: "Send the version you read as `If-Match`",
    429: "Too many requests: wait as `Retry-After` says",
    502: "A service failed",
    503: "A service is unavailable: try again after `Retry-After`",
    504: "A service did not answer in time",
}
# Statuses a kind of credential brings: missing or invalid (401); not this one's (403);
# a secret link's token that opens nothing looks like an unknown resource (404).
SECURITY_STATUSES = {"residentToken": (401, 403), "staffToken": (401, 403),
                     "manageToken": (401, 404), "statusToken": (401, 404)}
SERVICE_STATUSES = (502, 503, 504)
SECURITY_SCHEMES = {
    "residentToken": {
        "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
        "description": "A resident's access token from the municipality's sign-in "
                       "(OpenID Connect; see docs/identity.md)."},
    "manageToken": {"type": "apiKey", "in": "header", "name": "X-Manage-Token",
                    "description": "The secret of a booking's manage link."},
    "statusToken": {"type": "apiKey", "in": "header", "name": "X-Status-Token",
                    "description": "The secret of a lottery entry's status link."},
    "staffToken": {
        "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
        "description": "A staff member's access token from the municipality's staff sign-in "
                       "(OpenID Connect; roles in the `loket_roles` claim)."},
}


class RequestParser(FlaskParser):
    """webargs' Flask parser answering Loket's way: a bad request is ``400 validation_failed``."""

    DEFAULT_VALIDATION_STATUS = 400
    # Unknown query parameters are the schema's business (as for bodies), not dropped.
    DEFAULT_UNKNOWN_BY_LOCATION: dict[str, str | None] = {
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": None, "querystring": None}

    def load_json(self, req: Any, schema: Schema) -> Any:
        """The body as a JSON object; anything else (no body, another type, broken JSON) is refused.

        Too deep, or with a lone surrogate, is ``malformed_json`` (:mod:`.json_input`).
        """
        try:
            body = strict_loads(req.get_data(cache=True)) if req.is_json else None
        except MalformedJson:
            raise
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise ValidationFailed(
                "The body must be a JSON object (Content-Type: application/json).",
                invalid_params=[])
        return body

    def handle_error(self, error: Any, req: Any, schema: Schema, *, error_status_code: Any,
                     error_headers: Any) -> NoReturn:
        """Raise :class:`ValidationFailed` naming each invalid field (rendered as problem+json)."""
        messages = error.messages
        # webargs nests the messages under the location ("json", "query", ...)
        if isinstance(messages, dict) and len(messages) == 1:
            (inner,) = messages.values()
            messages = inner if isinstance(inner, dict) else {"_": inner}
        raise ValidationFailed("The request has invalid fields.",
                               invalid_params=invalid_params(messages))


def error_statuses(rule: str, view: Callable, security: str | None,
                   refuses: Mapping[int, str] | None, calls_services: bool) -> dict[int, str]:
    """Every error status a route can give, with what it means there.

    From what the route declares: an id in the path (404), a body or query schema (400),
    a credential (``SECURITY_STATUSES``), a rate limit (429), service calls (502-504);
    ``refuses`` adds or explains others. Statuses the view documents itself are left as
    they are.
    """
    statuses: set[int] = set()
    apidoc = getattr(view, "_apidoc", {})
    if "<" in rule:  # a tenant or an id in the path that may name nothing
        statuses.add(404)
    if "arguments" in apidoc:
        statuses.add(400)
    if security:
        statuses.update(SECURITY_STATUSES[security])
    if getattr(view, RATE_LIMITED, False):
        statuses.add(429)
    if calls_services:
        statuses.update(SERVICE_STATUSES)
    documented = {int(status) for status in apidoc.get("response", {}).get("responses", {})}
    found = {status: MEANING[status] for status in statuses - documented}
    found.update(refuses or {})
    return found


class LoketApi(flask_smorest.Api):
    """flask-smorest's Api: the document only; errors are the gateway's own handler's."""

    DEFAULT_ERROR_RESPONSE_NAME = None
    ERROR_SCHEMA = api_schemas.ProblemSchema

    def _register_error_handlers(self) -> None:
        """Every error is rendered by the app's one handler (``app._render_error``)."""

    def _register_responses(self) -> None:
        """Shared error responses are problem+json (the 400 of ``arguments`` refers to one)."""
        for status in http.HTTPStatus:
            if status >= 400:
                self.spec.components.response(status.name, {
                    "description": MEANING.get(status, status.phrase),
                    "content": {PROBLEM_MEDIA: {"schema": "Problem"}}}, lazy=True)


def schema_name(schema: Any) -> str | None:
    """A component's name: the class name without ``Schema``; a view (``only``) is inlined."""
    if getattr(schema, "only", None) or getattr(schema, "exclude", None):
        return None
    cls = resolve_schema_cls(schema)
    cls = cls[0] if isinstance(cls, list) else cls
    return cls.__name__.removesuffix("Schema")


def init_openapi(app: Flask) -> LoketApi:
    """The app's API document (``/openapi.json``); areas add their blueprints to it."""
    app.config.update(
        API_TITLE="Loket API", API_VERSION="1.0.0", OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/", OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={"info": {
            "description": "Digital counter of a municipality: appointments, permits, "
                           "profile. Errors are application/problem+json with a stable "
                           "`code`.",
            "license": {"name": "EUPL-1.2",
                        "url": "https://interoperable-europe.ec.europa.eu/collection/eupl"}}})
    api = LoketApi(app, spec_kwargs={
        # apispec inlines a schema whose name is None; its annotation says str only
        "marshmallow_plugin": MarshmallowPlugin(
            schema_name_resolver=cast(Callable[[type[Schema]], str], schema_name))})
    api.spec.components.schema("Problem", schema=api_schemas.ProblemSchema)
    for name, scheme in SECURITY_SCHEMES.items():
        api.spec.components.security_scheme(name, scheme)
    app.extensions["loket_api"] = api
    return api


def spec_document(app: Flask) -> dict[str, Any]:
    """The OpenAPI document of ``app``, as ``/openapi.json`` serves it."""
    return app.extensions["loket_api"].spec.to_dict()
