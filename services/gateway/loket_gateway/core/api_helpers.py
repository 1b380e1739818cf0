# SPDX-License-Identifier: EUPL-1.2
"""What every area's JSON API under ``/api/v1`` shares: its blueprints, tenant, body, query, secret.

Each area makes its API blueprint with :func:`api_blueprint` and adds it with
:func:`register_api`; its views read the request with :func:`known_tenant`,
:func:`json_body`, :func:`query_args` and :func:`request_secret`.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, current_app, request
from marshmallow import Schema

from loket_common.validation import load

from .errors import NotAuthenticated, UnknownTenant, ValidationFailed

API_PREFIX = "/api/v1"


def api_blueprint(name: str, import_name: str) -> Blueprint:
    """An area's blueprint of JSON API routes, under ``/api/v1``."""
    return Blueprint(name, import_name, url_prefix=API_PREFIX)


def register_api(app: Flask, blueprint: Blueprint) -> None:
    """Add an API blueprint to ``app``, exempt from the forms' CSRF check.

    Bearer tokens, never cookies: another site cannot make a browser send them.
    """
    app.register_blueprint(blueprint)
    app.extensions["csrf"].exempt(blueprint)


def known_tenant(tenant: str) -> str:
    """``tenant`` when this gateway serves it (404 ``unknown_tenant`` otherwise)."""
    if current_app.extensions["loket_tenants"].get(tenant) is None:
        raise UnknownTenant(f"No municipality '{tenant[:40]}' is served here.")
    return tenant


def json_body(schema: Schema) -> dict:
    """The request's JSON object loaded by ``schema`` (400 ``validation_failed`` otherwise)."""
    body = request.get_json(silent=True)
    if body is None:
        raise ValidationFailed(
            "The body must be a JSON object (Content-Type: application/json).",
            invalid_params=[])
    return load(schema, body)


def query_args(schema: Schema) -> dict[str, Any]:
    """The query string loaded by ``schema`` (400 ``validation_failed`` otherwise)."""
    return load(schema, request.args.to_dict())


def request_secret(header: str, what: str) -> str:
    """A secret link's token, from ``header`` or ``?token=`` (401 problem when missing)."""
    token = request.headers.get(header) or request.args.get("token", "")
    if not token:
        raise NotAuthenticated(f"Send {what} as '{header}' or '?token='.")
    return token
