# SPDX-License-Identifier: EUPL-1.2
"""The case workers' permit API: the queue, cases, assignment and decisions.

Every route needs a staff token with the ``case_worker`` role (tenant admins have it);
the acting staff member is passed on as ``actor`` for the case's history. Answers are
dumped through the contract's schemas (:mod:`loket_contracts.permits.applications`).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from loket_common.validation import load
from loket_contracts.permits import applications as contract

from ..core.api_helpers import api_blueprint
from ..core.rpc import services
from ..identity.access import current_actor, require_role
from . import schemas
from .resident_api import attachment_response, file_answer

blueprint = api_blueprint("permit_cases", __name__,
                          "The case workers' queue of permit applications, cases, "
                          "assignment and decisions")

ROLE = "case_worker"
PATH = "/tenants/<tenant>/cases"
STAFF = "staffToken"


def _subject(name: str) -> str:
    """``me`` is the acting staff member; any other name is passed on as it is."""
    return current_actor()["subject"] if name == "me" else name


def queue_query(args: dict[str, Any]) -> dict[str, Any]:
    """The service's queue query from a query string (``me`` resolved); for the pages."""
    return _resolved(load(schemas.CaseQuerySchema(), args))


def _resolved(query: dict[str, Any]) -> dict[str, Any]:
    if "assigned_to" in query:
        query["assigned_to"] = _subject(query["assigned_to"])
    return query


@blueprint.route(PATH, methods=["GET"], security=STAFF,
                 summary="The case queue, filtered, oldest submission first (case worker)")
@blueprint.response(200, contract.CasePageSchema, description="A page of cases")
@require_role(ROLE)
@blueprint.arguments(schemas.CaseQuerySchema, location="query")
def case_queue(query: dict[str, Any], tenant: str) -> Any:
    """Pages through ``next``/``after``; ``total`` counts every match."""
    with services() as rpc:
        return rpc.permits.case_queue(tenant, _resolved(query))


@blueprint.route(PATH + "/<application_id>", methods=["GET"], security=STAFF,
                 summary="One case with its history (case worker)")
@blueprint.response(200, contract.ApplicationSchema, description="The case")
@require_role(ROLE)
def get_case(tenant: str, application_id: str) -> Any:
    """Any application of the tenant except drafts."""
    with services() as rpc:
        return rpc.permits.get_case(tenant, application_id, actor=current_actor())


@blueprint.route(PATH + "/<application_id>/attachments/<attachment_id>", methods=["GET"],
                 security=STAFF, summary="Download a document of a case (case worker)")
@blueprint.response(200, description="The document, as an attachment")
@blueprint.doc(**file_answer("The document, as an attachment (its detected type)"))
@require_role(ROLE)
def download_case_attachment(tenant: str, application_id: str, attachment_id: str) -> Any:
    """The stored bytes with the detected content type, never rendered inline."""
    with services() as rpc:
        stored = rpc.permits.get_attachment(tenant, application_id, attachment_id,
                                            actor=current_actor())
    return attachment_response(stored)


@blueprint.route(PATH + "/<application_id>/assignment", methods=["POST"], security=STAFF,
                 summary="Assign a case (case worker)")
@blueprint.response(200, contract.ApplicationSchema, description="Assigned")
@require_role(ROLE)
@blueprint.arguments(schemas.AssignmentSchema)
def assign_case(body: dict[str, Any], tenant: str, application_id: str) -> Any:
    """To ``me`` or to another staff subject."""
    with services() as rpc:
        return rpc.permits.assign_case(tenant, application_id, _subject(body["assignee"]),
                                       current_actor())


@blueprint.route(PATH + "/<application_id>/transitions", methods=["POST"], security=STAFF,
                 summary="Move a case on: review, request information, approve or reject "
                         "(case worker)",
                 refuses={409: "Not possible from this state (transition_not_allowed)"})
@blueprint.response(200, contract.ApplicationSchema, description="Moved")
@require_role(ROLE)
@blueprint.arguments(schemas.CaseTransitionSchema)
def transition_case(body: dict[str, Any], tenant: str, application_id: str) -> Any:
    """Decisions need a reason; a request for information says what is missing."""
    asked = body.get("information_request")
    if asked and isinstance(asked.get("answer_by"), date):  # crosses RPC as its ISO day
        asked = {**asked, "answer_by": asked["answer_by"].isoformat()}
    with services() as rpc:
        return rpc.permits.transition_case(
            tenant, application_id, body["to"], body.get("reason"), current_actor(),
            information_request=asked)
