# SPDX-License-Identifier: EUPL-1.2
"""The case workers' permit API: the queue, cases, assignment and decisions.

Every route needs a staff token with the ``case_worker`` role (tenant admins have it);
the acting staff member is passed on as ``actor`` for the case's history.
"""
from __future__ import annotations

from typing import Any

from flask import jsonify, request

from loket_common.validation import load

from ..core.api_helpers import json_body, known_tenant
from ..core.legacy_openapi import legacy_api_blueprint, operation
from ..core.rpc import services
from ..identity.access import current_actor, require_role
from . import schemas
from .resident_api import attachment_response

blueprint = legacy_api_blueprint("cases_api", __name__)

TAGS = ("permits: case workers",)
ROLE = "case_worker"
PATH = "/tenants/<tenant>/cases"
STAFF = {401: ("No staff token", None), 403: ("Not a case worker here", None)}


def _subject(name: str) -> str:
    """``me`` is the acting staff member; any other name is passed on as it is."""
    return current_actor()["subject"] if name == "me" else name


def queue_query(args: dict[str, Any]) -> dict[str, Any]:
    """The service's queue query from the request's query string (``me`` resolved)."""
    query = load(schemas.CaseQuerySchema(), args)
    if "assigned_to" in query:
        query["assigned_to"] = _subject(query["assigned_to"])
    return query


@blueprint.get(PATH)
@operation("The case queue, filtered, oldest submission first (case worker)",
           {200: ("A page of cases", schemas.CasePageSchema), **STAFF},
           query=schemas.CaseQuerySchema, tags=TAGS, security="staffToken")
@require_role(ROLE)
def case_queue(tenant: str):
    """Pages through ``next``/``after``; ``total`` counts every match."""
    tenant = known_tenant(tenant)
    query = queue_query(request.args.to_dict())
    with services() as rpc:
        return jsonify(rpc.permits.case_queue(tenant, query))


@blueprint.get(PATH + "/<application_id>")
@operation("One case with its history (case worker)",
           {200: ("The case", schemas.ApplicationSchema), **STAFF},
           tags=TAGS, security="staffToken")
@require_role(ROLE)
def get_case(tenant: str, application_id: str):
    """Any application of the tenant except drafts."""
    tenant = known_tenant(tenant)
    with services() as rpc:
        return jsonify(rpc.permits.get_case(tenant, application_id, actor=current_actor()))


@blueprint.get(PATH + "/<application_id>/attachments/<attachment_id>")
@operation("Download a document of a case (case worker)",
           {200: ("The document, as an attachment", None), **STAFF},
           tags=TAGS, security="staffToken")
@require_role(ROLE)
def download_case_attachment(tenant: str, application_id: str, attachment_id: str):
    """The stored bytes with the detected content type, never rendered inline."""
    tenant = known_tenant(tenant)
    with services() as rpc:
        stored = rpc.permits.get_attachment(tenant, application_id, attachment_id,
                                            actor=current_actor())
    return attachment_response(stored)


@blueprint.post(PATH + "/<application_id>/assignment")
@operation("Assign a case (case worker)",
           {200: ("Assigned", schemas.ApplicationSchema), **STAFF},
           request=schemas.AssignmentSchema, tags=TAGS, security="staffToken")
@require_role(ROLE)
def assign_case(tenant: str, application_id: str):
    """To ``me`` or to another staff subject."""
    tenant = known_tenant(tenant)
    body = json_body(schemas.AssignmentSchema())
    with services() as rpc:
        return jsonify(rpc.permits.assign_case(tenant, application_id,
                                               _subject(body["assignee"]), current_actor()))


@blueprint.post(PATH + "/<application_id>/transitions")
@operation("Move a case on: review, request information, approve or reject (case worker)",
           {200: ("Moved", schemas.ApplicationSchema), **STAFF,
            409: ("Not possible from this state (transition_not_allowed)", None)},
           request=schemas.TransitionSchema, tags=TAGS, security="staffToken")
@require_role(ROLE)
def transition_case(tenant: str, application_id: str):
    """Decisions need a reason; a request for information says what is missing."""
    tenant = known_tenant(tenant)
    body = json_body(schemas.TransitionSchema())
    with services() as rpc:
        return jsonify(rpc.permits.transition_case(
            tenant, application_id, body["to"], body.get("reason"), current_actor(),
            information_request=body.get("information_request")))
