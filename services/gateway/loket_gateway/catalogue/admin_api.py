# SPDX-License-Identifier: EUPL-1.2
"""The tenant admins' catalogue API: offices, services and closures, with ETag/If-Match.

Every entry carries a ``version``; GET answers it as the ``ETag`` (``"3"``). A write
names the version it read in ``If-Match`` (or ``If-None-Match: *`` to create):
without either it is ``428 precondition_required``, with a stale one
``412 version_conflict``. A change that would strand confirmed future bookings is
``409 bookings_affected`` with ``affected_bookings``. DELETE deactivates, never deletes.
"""
from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request

from ..core.api_helpers import json_body, known_tenant, query_args
from ..core.errors import PreconditionRequired, UnusableIfMatch
from ..core.legacy_openapi import legacy_api_blueprint, operation
from ..core.rpc import services
from ..identity.access import current_actor, require_role
from . import admin_schemas as schemas

blueprint = legacy_api_blueprint("catalogue_api", __name__)

TAGS = ("appointments: tenant admin",)
ADMIN = "tenant_admin"
IF_MATCH = {"If-Match": 'The ETag you read, e.g. "3" (required to change)'}
PUT_HEADERS = {**IF_MATCH, "If-None-Match": "* to create an entry that does not exist yet"}
WRITE_ERRORS = {401: ("No staff token", None), 403: ("Not a tenant admin here", None),
                409: ("Confirmed future bookings would be stranded", None),
                412: ("Changed meanwhile (version_conflict)", None),
                428: ("If-Match is missing", None)}
KIND_SCHEMAS = {"office": (schemas.OfficeRequestSchema, schemas.AdminOfficeSchema),
                "service": (schemas.ServiceRequestSchema, schemas.AdminServiceSchema)}


def _expected_version() -> int:
    """The version named by ``If-Match`` (428 without one; 412 if it cannot match)."""
    header = request.headers.get("If-Match")
    if not header:
        raise PreconditionRequired("Send the ETag you read as If-Match, so no change is lost.")
    tag = header.strip()
    if tag.startswith('"') and tag.endswith('"') and tag[1:-1].isdigit() and int(tag[1:-1]):
        return int(tag[1:-1])
    raise UnusableIfMatch("If-Match must be one ETag as this API sends it, e.g. \"3\".")


def _versioned(entry: dict[str, Any], status: int = 200) -> Response:
    """``entry`` as JSON with its version as the ETag."""
    response = jsonify(entry)
    response.status_code = status
    response.set_etag(str(entry["version"]))
    return response


def _add_entry_routes(kind: str, plural: str, what: str) -> None:
    """GET (with ETag), PUT (create or replace) and DELETE (deactivate) of one kind."""
    request_schema, entry_schema = KIND_SCHEMAS[kind]
    path = f"/tenants/<tenant>/{plural}/<{kind}_id>"

    def get_entry(tenant: str, **ids: str) -> Response:
        tenant = known_tenant(tenant)
        with services() as rpc:
            return _versioned(getattr(rpc.appointments, f"get_{kind}")(tenant, ids[f"{kind}_id"]))

    def put_entry(tenant: str, **ids: str) -> Response:
        tenant = known_tenant(tenant)
        creating = request.headers.get("If-None-Match", "").strip() == "*"
        expected = None if creating else _expected_version()
        body = json_body(request_schema())
        with services() as rpc:
            entry = getattr(rpc.appointments, f"put_{kind}")(tenant, ids[f"{kind}_id"], body,
                                                             expected, current_actor())
        return _versioned(entry, 201 if creating else 200)

    def deactivate_entry(tenant: str, **ids: str) -> Response:
        tenant = known_tenant(tenant)
        expected = _expected_version()
        with services() as rpc:
            return _versioned(rpc.appointments.deactivate(tenant, kind, ids[f"{kind}_id"],
                                                          expected, current_actor()))

    views = [
        (get_entry, "GET", f"get_{kind}", operation(
            f"One {what} with its version as ETag (tenant admin)",
            {200: (f"The {what}", entry_schema)}, tags=TAGS, security="staffToken")),
        (put_entry, "PUT", f"put_{kind}", operation(
            f"Create or replace an {what} as a whole (tenant admin)",
            {200: ("Replaced", entry_schema), 201: ("Created", entry_schema), **WRITE_ERRORS},
            request=request_schema, tags=TAGS, security="staffToken", headers=PUT_HEADERS)),
        (deactivate_entry, "DELETE", f"deactivate_{kind}", operation(
            f"Deactivate an {what}: no longer offered, kept for its bookings (tenant admin)",
            {200: ("Deactivated", entry_schema), **WRITE_ERRORS},
            tags=TAGS, security="staffToken", headers=IF_MATCH)),
    ]
    for view, method, name, describe in views:
        view.__name__ = view.__qualname__ = name  # the endpoint and the operationId
        blueprint.add_url_rule(path, name, require_role(ADMIN)(describe(view)), methods=[method])


@blueprint.get("/tenants/<tenant>/catalogue")
@operation("Every office and service, deactivated ones too (tenant admin)",
           {200: ("The catalogue", schemas.CatalogueSchema)}, tags=TAGS, security="staffToken")
@require_role(ADMIN)
def get_catalogue(tenant: str):
    """The whole catalogue with versions, for the admin pages."""
    tenant = known_tenant(tenant)
    with services() as rpc:
        return jsonify(rpc.appointments.list_catalogue(tenant))


@blueprint.get("/tenants/<tenant>/catalogue/changes")
@operation("Who changed what in the catalogue, newest first (tenant admin)",
           {200: ("The audit trail", schemas.CatalogueChangeSchema(many=True))},
           query=schemas.ChangesQuerySchema, tags=TAGS, security="staffToken")
@require_role(ADMIN)
def list_catalogue_changes(tenant: str):
    """The audit trail of catalogue changes."""
    tenant = known_tenant(tenant)
    query = query_args(schemas.ChangesQuerySchema())
    with services() as rpc:
        return jsonify(rpc.appointments.list_catalogue_changes(tenant, query["limit"]))


_add_entry_routes("office", "offices", "office")
_add_entry_routes("service", "services", "offered service")


@blueprint.get("/tenants/<tenant>/offices/<office_id>/closures")
@operation("The days an office is closed (tenant admin)",
           {200: ("Closures; the ETag is the office's", schemas.ClosuresSchema)},
           tags=TAGS, security="staffToken")
@require_role(ADMIN)
def list_closures(tenant: str, office_id: str):
    """Closures and holidays of an office."""
    tenant = known_tenant(tenant)
    with services() as rpc:
        return _versioned(rpc.appointments.list_closures(tenant, office_id))


@blueprint.post("/tenants/<tenant>/offices/<office_id>/closures")
@operation("Close an office on a day (tenant admin)",
           {201: ("Closed; the office", schemas.AdminOfficeSchema), **WRITE_ERRORS},
           request=schemas.ClosureSchema, tags=TAGS, security="staffToken", headers=IF_MATCH)
@require_role(ADMIN)
def add_closure(tenant: str, office_id: str):
    """Refused with 409 while confirmed bookings fall on the day."""
    tenant = known_tenant(tenant)
    expected = _expected_version()
    closure = json_body(schemas.ClosureSchema())
    with services() as rpc:
        return _versioned(rpc.appointments.add_closure(tenant, office_id, closure, expected,
                                                       current_actor()), 201)


@blueprint.delete("/tenants/<tenant>/offices/<office_id>/closures/<day>")
@operation("Open an office again on a closed day (tenant admin)",
           {200: ("Reopened; the office", schemas.AdminOfficeSchema), **WRITE_ERRORS},
           tags=TAGS, security="staffToken", headers=IF_MATCH)
@require_role(ADMIN)
def remove_closure(tenant: str, office_id: str, day: str):
    """Remove a closure (``day`` as YYYY-MM-DD)."""
    tenant = known_tenant(tenant)
    expected = _expected_version()
    with services() as rpc:
        return _versioned(rpc.appointments.remove_closure(tenant, office_id, day, expected,
                                                          current_actor()))
