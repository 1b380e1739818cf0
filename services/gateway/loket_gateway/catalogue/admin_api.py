# SPDX-License-Identifier: EUPL-1.2
"""The tenant admins' catalogue API: offices, services and closures, with ETag/If-Match.

Every entry carries a ``version``; GET answers it as the ``ETag`` (``"3"``). A write
names the version it read in ``If-Match`` (or ``If-None-Match: *`` to create):
without either it is ``428 precondition_required``, with a stale one
``412 version_conflict``; both are checked before the body is read. A change that
would strand confirmed future bookings is ``409 bookings_affected`` with
``affected_bookings``. DELETE deactivates, never deletes. Bodies are loaded and answers
dumped through the contract's schemas (:mod:`loket_contracts.appointments.catalogue`).
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import request
from werkzeug.http import quote_etag

from loket_contracts.appointments import catalogue as contract

from ..core.api_helpers import api_blueprint
from ..core.errors import PreconditionRequired, UnusableIfMatch
from ..core.rpc import services
from ..identity.access import current_actor, require_role
from . import admin_schemas as schemas

blueprint = api_blueprint("catalogue_admin", __name__,
                          "Tenant admins: offices, services and closures, versioned by "
                          "ETag/If-Match")

ADMIN = "tenant_admin"
STAFF = "staffToken"
IF_MATCH = {"If-Match": 'The ETag you read, e.g. "3" (required to change)'}
PUT_HEADERS = {**IF_MATCH, "If-None-Match": "* to create an entry that does not exist yet"}
ETAG = {"ETag": {"description": 'The version, e.g. "3": send it as If-Match to change',
                 "schema": {"type": "string"}}}
WRITE_REFUSALS = {
    409: "bookings_affected: confirmed future bookings (or live holds) would no longer "
         "fit; `affected_bookings` counts them",
    412: "version_conflict: changed meanwhile (or exists already), or If-Match names no "
         "version this API sends; `current_version` is the one now",
    428: "precondition_required: no If-Match (nor If-None-Match: * to create)"}
# The body a PUT loads and the answer, by kind.
KIND_SCHEMAS = {"office": (schemas.OfficeBodySchema, contract.AdminOfficeSchema),
                "service": (schemas.OfferedServiceBodySchema, contract.AdminServiceSchema)}


def _expected_version() -> int:
    """The version named by ``If-Match`` (428 without one; 412 if it cannot match)."""
    header = request.headers.get("If-Match")
    if not header:
        raise PreconditionRequired("Send the ETag you read as If-Match, so no change is lost.")
    tag = header.strip()
    if tag.startswith('"') and tag.endswith('"') and tag[1:-1].isdigit() and int(tag[1:-1]):
        return int(tag[1:-1])
    raise UnusableIfMatch("If-Match must be one ETag as this API sends it, e.g. \"3\".")


def preconditions(may_create: bool = False) -> Callable[[Callable], Callable]:
    """Give the view ``expected``: the If-Match version, or None to create (``may_create``).

    Above ``arguments``: a missing or unusable If-Match is refused before the body is read.
    """
    def wrap(view: Callable) -> Callable:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            creating = may_create and request.headers.get("If-None-Match", "").strip() == "*"
            return view(*args, expected=None if creating else _expected_version(), **kwargs)
        return checked
    return wrap


def _versioned(entry: dict[str, Any], status: int = 200) -> tuple[dict, int, dict[str, str]]:
    """``entry`` with its version as the ETag."""
    return entry, status, {"ETag": quote_etag(str(entry["version"]))}


def _declare(name: str, view: Callable, *decorators: Callable) -> None:
    """Name ``view`` (its endpoint and operationId), then apply ``decorators`` as if stacked."""
    view.__name__ = view.__qualname__ = name
    for decorator in reversed(decorators):
        view = decorator(view)


def _add_entry_routes(kind: str, plural: str, what: str) -> None:
    """GET (with ETag), PUT (create or replace) and DELETE (deactivate) of one kind."""
    request_schema, entry_schema = KIND_SCHEMAS[kind]
    path = f"/tenants/<tenant>/{plural}/<{kind}_id>"
    key = f"{kind}_id"

    def get_entry(tenant: str, **ids: str) -> Any:
        with services() as rpc:
            return _versioned(getattr(rpc.appointments, f"get_{kind}")(tenant, ids[key]))

    def put_entry(body: dict[str, Any], tenant: str, expected: int | None,
                  **ids: str) -> Any:
        with services() as rpc:
            entry = getattr(rpc.appointments, f"put_{kind}")(tenant, ids[key], body,
                                                             expected, current_actor())
        return _versioned(entry, 200 if expected else 201)

    def deactivate_entry(tenant: str, expected: int, **ids: str) -> Any:
        with services() as rpc:
            return _versioned(rpc.appointments.deactivate(tenant, kind, ids[key], expected,
                                                          current_actor()))

    _declare(f"get_{kind}", get_entry,
             blueprint.route(path, methods=["GET"], security=STAFF,
                             summary=f"One {what} with its version as ETag (tenant admin)"),
             blueprint.response(200, entry_schema, description=f"The {what}", headers=ETAG),
             require_role(ADMIN))
    _declare(f"put_{kind}", put_entry,
             blueprint.route(path, methods=["PUT"], security=STAFF, headers=PUT_HEADERS,
                             summary=f"Create or replace an {what} as a whole (tenant admin)",
                             refuses=WRITE_REFUSALS),
             blueprint.response(200, entry_schema, description="Replaced", headers=ETAG),
             blueprint.alt_response(201, schema=entry_schema, description="Created",
                                    headers=ETAG, success=True),
             require_role(ADMIN), preconditions(may_create=True),
             blueprint.arguments(request_schema))
    _declare(f"deactivate_{kind}", deactivate_entry,
             blueprint.route(path, methods=["DELETE"], security=STAFF, headers=IF_MATCH,
                             summary=f"Deactivate an {what}: no longer offered, kept for its "
                                     "bookings (tenant admin)", refuses=WRITE_REFUSALS),
             blueprint.response(200, entry_schema, description="Deactivated", headers=ETAG),
             require_role(ADMIN), preconditions())


@blueprint.route("/tenants/<tenant>/catalogue", methods=["GET"], security=STAFF,
                 summary="Every office and service, deactivated ones too (tenant admin)")
@blueprint.response(200, contract.CatalogueSchema, description="The catalogue")
@require_role(ADMIN)
def get_catalogue(tenant: str) -> Any:
    """The whole catalogue with versions, for the admin pages."""
    with services() as rpc:
        return rpc.appointments.list_catalogue(tenant)


@blueprint.route("/tenants/<tenant>/catalogue/changes", methods=["GET"], security=STAFF,
                 summary="Who changed what in the catalogue, newest first (tenant admin)")
@blueprint.response(200, contract.CatalogueChangeSchema(many=True),
                    description="The audit trail")
@require_role(ADMIN)
@blueprint.arguments(schemas.ChangesQuerySchema, location="query")
def list_catalogue_changes(query: dict[str, Any], tenant: str) -> Any:
    """The audit trail of catalogue changes."""
    with services() as rpc:
        return rpc.appointments.list_catalogue_changes(tenant, query["limit"])


_add_entry_routes("office", "offices", "office")
_add_entry_routes("service", "services", "offered service")


@blueprint.route("/tenants/<tenant>/offices/<office_id>/closures", methods=["GET"],
                 security=STAFF, summary="The days an office is closed (tenant admin)")
@blueprint.response(200, contract.ClosuresSchema, headers=ETAG,
                    description="Closures; the ETag is the office's")
@require_role(ADMIN)
def list_closures(tenant: str, office_id: str) -> Any:
    """Closures and holidays of an office."""
    with services() as rpc:
        return _versioned(rpc.appointments.list_closures(tenant, office_id))


@blueprint.route("/tenants/<tenant>/offices/<office_id>/closures", methods=["POST"],
                 security=STAFF, headers=IF_MATCH, refuses=WRITE_REFUSALS,
                 summary="Close an office on a day (tenant admin)")
@blueprint.response(201, contract.AdminOfficeSchema, headers=ETAG,
                    description="Closed; the office")
@require_role(ADMIN)
@preconditions()
@blueprint.arguments(contract.ClosureSchema)
def add_closure(closure: dict[str, Any], tenant: str, office_id: str, expected: int) -> Any:
    """Refused with 409 while confirmed bookings fall on the day."""
    with services() as rpc:
        return _versioned(rpc.appointments.add_closure(tenant, office_id, closure, expected,
                                                       current_actor()), 201)


@blueprint.route("/tenants/<tenant>/offices/<office_id>/closures/<day>", methods=["DELETE"],
                 security=STAFF, headers=IF_MATCH, refuses=WRITE_REFUSALS,
                 summary="Open an office again on a closed day (tenant admin)")
@blueprint.response(200, contract.AdminOfficeSchema, headers=ETAG,
                    description="Reopened; the office")
@require_role(ADMIN)
@preconditions()
def remove_closure(tenant: str, office_id: str, day: str, expected: int) -> Any:
    """Remove a closure (``day`` as YYYY-MM-DD)."""
    with services() as rpc:
        return _versioned(rpc.appointments.remove_closure(tenant, office_id, day, expected,
                                                          current_actor()))
