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

from flask import Response, g, jsonify, request

from . import catalogue_admin_schemas as schemas
from .api import _json_body, _rpc, _tenant, api
from .openapi import operation
from .problems import Problem
from .staff_auth import require_role

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
        raise Problem(428, "precondition_required", "If-Match required",
                      "Send the ETag you read as If-Match, so no change is lost.")
    tag = header.strip()
    if tag.startswith('"') and tag.endswith('"') and tag[1:-1].isdigit() and int(tag[1:-1]):
        return int(tag[1:-1])
    raise Problem(412, "version_conflict", "Changed meanwhile",
                  "If-Match must be one ETag as this API sends it, e.g. \"3\".")


def _versioned(entry: dict[str, Any], status: int = 200) -> Response:
    """``entry`` as JSON with its version as the ETag."""
    response = jsonify(entry)
    response.status_code = status
    response.set_etag(str(entry["version"]))
    return response


def _actor() -> dict[str, str]:
    return dict(g.staff)


def _put(kind: str, tenant: str, entity_id: str) -> Response:
    """Create (``If-None-Match: *``) or replace (``If-Match``) an office or service."""
    tenant = _tenant(tenant)
    creating = request.headers.get("If-None-Match", "").strip() == "*"
    expected = None if creating else _expected_version()
    body = _json_body(KIND_SCHEMAS[kind][0]())
    with _rpc() as rpc:
        put = getattr(rpc.appointments, f"put_{kind}")
        entry = put(tenant, entity_id, body, expected, _actor())
    return _versioned(entry, 201 if creating else 200)


def _get(kind: str, tenant: str, entity_id: str) -> Response:
    tenant = _tenant(tenant)
    with _rpc() as rpc:
        return _versioned(getattr(rpc.appointments, f"get_{kind}")(tenant, entity_id))


def _deactivate(kind: str, tenant: str, entity_id: str) -> Response:
    tenant = _tenant(tenant)
    expected = _expected_version()
    with _rpc() as rpc:
        return _versioned(rpc.appointments.deactivate(tenant, kind, entity_id, expected,
                                                      _actor()))


@api.get("/tenants/<tenant>/catalogue")
@operation("Every office and service, deactivated ones too (tenant admin)",
           {200: ("The catalogue", schemas.CatalogueSchema)}, tags=TAGS, security="staffToken")
@require_role(ADMIN)
def get_catalogue(tenant: str):
    """The whole catalogue with versions, for the admin pages."""
    tenant = _tenant(tenant)
    with _rpc() as rpc:
        return jsonify(rpc.appointments.list_catalogue(tenant))


@api.get("/tenants/<tenant>/offices/<office_id>")
@operation("One office with its version as ETag (tenant admin)",
           {200: ("The office", schemas.AdminOfficeSchema)}, tags=TAGS, security="staffToken")
@require_role(ADMIN)
def get_office(tenant: str, office_id: str):
    """Read an office before changing it."""
    return _get("office", tenant, office_id)


@api.put("/tenants/<tenant>/offices/<office_id>")
@operation("Create or replace an office (tenant admin)",
           {200: ("Replaced", schemas.AdminOfficeSchema),
            201: ("Created", schemas.AdminOfficeSchema), **WRITE_ERRORS},
           request=schemas.OfficeRequestSchema, tags=TAGS, security="staffToken",
           headers=PUT_HEADERS)
@require_role(ADMIN)
def put_office(tenant: str, office_id: str):
    """The office as a whole: address, accessibility, counters, hours, closures."""
    return _put("office", tenant, office_id)


@api.delete("/tenants/<tenant>/offices/<office_id>")
@operation("Deactivate an office (tenant admin)",
           {200: ("Deactivated", schemas.AdminOfficeSchema), **WRITE_ERRORS},
           tags=TAGS, security="staffToken", headers=IF_MATCH)
@require_role(ADMIN)
def deactivate_office(tenant: str, office_id: str):
    """The office is no longer offered; it is kept for its past bookings."""
    return _deactivate("office", tenant, office_id)


@api.get("/tenants/<tenant>/services/<service_id>")
@operation("One offered service with its version as ETag (tenant admin)",
           {200: ("The service", schemas.AdminServiceSchema)}, tags=TAGS, security="staffToken")
@require_role(ADMIN)
def get_service(tenant: str, service_id: str):
    """Read a service before changing it."""
    return _get("service", tenant, service_id)


@api.put("/tenants/<tenant>/services/<service_id>")
@operation("Create or replace an offered service (tenant admin)",
           {200: ("Replaced", schemas.AdminServiceSchema),
            201: ("Created", schemas.AdminServiceSchema), **WRITE_ERRORS},
           request=schemas.ServiceRequestSchema, tags=TAGS, security="staffToken",
           headers=PUT_HEADERS)
@require_role(ADMIN)
def put_service(tenant: str, service_id: str):
    """The service as a whole: duration, fee, documents, description, booking policy."""
    return _put("service", tenant, service_id)


@api.delete("/tenants/<tenant>/services/<service_id>")
@operation("Deactivate an offered service (tenant admin)",
           {200: ("Deactivated", schemas.AdminServiceSchema), **WRITE_ERRORS},
           tags=TAGS, security="staffToken", headers=IF_MATCH)
@require_role(ADMIN)
def deactivate_service(tenant: str, service_id: str):
    """The service is no longer offered; it is kept for its past bookings."""
    return _deactivate("service", tenant, service_id)


@api.get("/tenants/<tenant>/offices/<office_id>/closures")
@operation("The days an office is closed (tenant admin)",
           {200: ("Closures; the ETag is the office's", schemas.ClosuresSchema)},
           tags=TAGS, security="staffToken")
@require_role(ADMIN)
def list_closures(tenant: str, office_id: str):
    """Closures and holidays of an office."""
    tenant = _tenant(tenant)
    with _rpc() as rpc:
        return _versioned(rpc.appointments.list_closures(tenant, office_id))


@api.post("/tenants/<tenant>/offices/<office_id>/closures")
@operation("Close an office on a day (tenant admin)",
           {201: ("Closed; the office", schemas.AdminOfficeSchema), **WRITE_ERRORS},
           request=schemas.ClosureSchema, tags=TAGS, security="staffToken", headers=IF_MATCH)
@require_role(ADMIN)
def add_closure(tenant: str, office_id: str):
    """Refused with 409 while confirmed bookings fall on the day."""
    tenant = _tenant(tenant)
    expected = _expected_version()
    closure = _json_body(schemas.ClosureSchema())
    with _rpc() as rpc:
        return _versioned(rpc.appointments.add_closure(tenant, office_id, closure, expected,
                                                       _actor()), 201)


@api.delete("/tenants/<tenant>/offices/<office_id>/closures/<day>")
@operation("Open an office again on a closed day (tenant admin)",
           {200: ("Reopened; the office", schemas.AdminOfficeSchema), **WRITE_ERRORS},
           tags=TAGS, security="staffToken", headers=IF_MATCH)
@require_role(ADMIN)
def remove_closure(tenant: str, office_id: str, day: str):
    """Remove a closure (``day`` as YYYY-MM-DD)."""
    tenant = _tenant(tenant)
    expected = _expected_version()
    with _rpc() as rpc:
        return _versioned(rpc.appointments.remove_closure(tenant, office_id, day, expected,
                                                          _actor()))
