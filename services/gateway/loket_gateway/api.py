# SPDX-License-Identifier: EUPL-1.2
"""The JSON API under ``/api/v1``: thin views that validate and call one service."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from marshmallow import Schema

from loket_common.validation import load

from . import api_schemas as schemas
from .errors import NotAuthenticated, UnknownTenant, ValidationFailed
from .openapi import operation
from .rpc import services

api = Blueprint("api", __name__, url_prefix="/api/v1")


def _tenant(tenant: str) -> str:
    if current_app.extensions["loket_tenants"].get(tenant) is None:
        raise UnknownTenant(f"No municipality '{tenant[:40]}' is served here.")
    return tenant


def _rpc():
    return services()


def _json_body(schema: Schema) -> dict:
    body = request.get_json(silent=True)
    if body is None:
        raise ValidationFailed(
            "The body must be a JSON object (Content-Type: application/json).",
            invalid_params=[])
    return load(schema, body)


def _request_secret(header: str, what: str) -> str:
    """A secret link's token, from ``header`` or ``?token=`` (401 problem when missing)."""
    token = request.headers.get(header) or request.args.get("token", "")
    if not token:
        raise NotAuthenticated(f"Send {what} as '{header}' or '?token='.")
    return token


def _bearer_token() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("Send the profile token as 'Authorization: Bearer <token>'.")
    return token.strip()


@api.get("/tenants/<tenant>/offices")
@operation("Citizens' offices and the services offered there",
           {200: ("The offices", schemas.OfficeSchema(many=True))}, tags=("appointments",))
def list_offices(tenant: str):
    """Offices with services, from appointments."""
    tenant = _tenant(tenant)
    with _rpc() as rpc:
        offices = rpc.appointments.list_offices(tenant)
    return jsonify(schemas.OfficeSchema(many=True).dump(offices))
