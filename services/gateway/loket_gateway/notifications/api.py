# SPDX-License-Identifier: EUPL-1.2
"""The notifications API: a resident's messages, a tenant admin's kinds, the operator's view.

Residents (``residentToken``): ``GET /tenants/<t>/me/messages``, the messages sent to the
token's subject with their state history. Tenant admins (``staffToken``, ``tenant_admin``):
``GET /tenants/<t>/admin/notification-kinds`` and ``PUT .../<kind>`` (``{enabled}``).
The platform operator (``staffToken`` with ``*:operator``; no personal data):
``GET /operator/notifications/counts?tenant=``, ``GET /operator/notifications/failures``
(``limit``, ``after``, ``tenant``) and ``POST /operator/notifications/<t>/<id>/resend``.
Answers are dumped through :mod:`loket_contracts.notifications.schemas`.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from marshmallow import Schema, fields, validate

from loket_common.errors import NotFound
from loket_contracts.notifications import schemas as contract

from ..core.api_helpers import api_blueprint, known_tenant
from ..core.rpc import services
from ..identity.access import Resident, api_operator, as_resident, current_actor, require_role
from ..identity.staff_roles import TENANT_ADMIN

blueprint = api_blueprint("notifications", __name__,
                          "Messages to residents and staff: my messages, the kinds a tenant "
                          "sends, and the operator's counts, failures and resend")

STAFF = "staffToken"
OPERATOR_ONLY = {403: "Not the platform operator"}


class OperatorCountsQuerySchema(Schema):
    """Which tenant to count (every tenant without)."""

    tenant = fields.String(validate=validate.Length(min=1, max=63), metadata={
        "description": "Count only this tenant's messages."})


class OperatorFailuresQuerySchema(OperatorCountsQuerySchema):
    """A page of permanent failures."""

    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    after = fields.String(validate=validate.Length(min=1, max=500), metadata={
        "description": "The previous page's next cursor."})


def as_operator(view: Callable) -> Callable:
    """Let the view run for the platform operator (``actor=``), checked before the query."""
    @wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        return view(*args, actor=api_operator(), **kwargs)
    return checked


def checked_kind(kind: str) -> str:
    """A kind from the path (404 ``not_found`` for anything not in ``KINDS``, before any call)."""
    if kind not in contract.KINDS:
        raise NotFound("No kind of message with this id.")
    return kind


@blueprint.route("/tenants/<tenant>/me/messages", methods=["GET"], security="residentToken",
                 summary="The messages sent to me, newest first, with their states")
@blueprint.response(200, contract.MessageSchema(many=True), description="Mine")
@as_resident()
def my_messages(tenant: str, resident: Resident) -> Any:
    """When, what, the subject line and each state it went through."""
    with services() as rpc:
        return rpc.notifications.messages_for_subject(tenant, resident.subject)


@blueprint.route("/tenants/<tenant>/admin/notification-kinds", methods=["GET"],
                 security=STAFF, summary="Every kind of message and whether this "
                                         "municipality sends it (tenant admin)")
@blueprint.response(200, contract.KindSchema(many=True), description="The kinds")
@require_role(TENANT_ADMIN)
def notification_kinds(tenant: str) -> Any:
    """Residents' and staff's kinds, each on or off."""
    with services() as rpc:
        return rpc.notifications.list_kinds(tenant)


@blueprint.route("/tenants/<tenant>/admin/notification-kinds/<kind>", methods=["PUT"],
                 security=STAFF, summary="Switch a kind of message on or off (tenant admin)",
                 refuses={404: "Unknown municipality, or no such kind (`not_found`)"})
@blueprint.response(200, contract.KindSchema, description="The kind, switched")
@require_role(TENANT_ADMIN)
@blueprint.arguments(contract.KindSwitchSchema)
def switch_notification_kind(body: dict[str, Any], tenant: str, kind: str) -> Any:
    """Off: the municipality sends no message of this kind until it is on again."""
    kind = checked_kind(kind)
    with services() as rpc:
        return rpc.notifications.set_kind_enabled(tenant, kind, body["enabled"],
                                                  current_actor())


@blueprint.route("/operator/notifications/counts", methods=["GET"], security=STAFF,
                 summary="Messages per state, of every tenant or one (platform operator)",
                 refuses={**OPERATOR_ONLY, 404: "Unknown municipality (`unknown_tenant`)"})
@blueprint.response(200, contract.StateCountsSchema, description="Counts per state")
@as_operator
@blueprint.arguments(OperatorCountsQuerySchema, location="query")
def operator_message_counts(query: dict[str, Any], actor: dict[str, str]) -> Any:
    """No personal data: numbers only."""
    tenant = known_tenant(query["tenant"]) if query.get("tenant") else None
    with services() as rpc:
        return rpc.notifications.message_counts(tenant)


@blueprint.route("/operator/notifications/failures", methods=["GET"], security=STAFF,
                 summary="Messages that failed for good, oldest first, paged (platform "
                         "operator)",
                 refuses={**OPERATOR_ONLY, 404: "Unknown municipality (`unknown_tenant`)"})
@blueprint.response(200, contract.FailedPageSchema, description="A page of failures")
@as_operator
@blueprint.arguments(OperatorFailuresQuerySchema, location="query")
def operator_failed_messages(query: dict[str, Any], actor: dict[str, str]) -> Any:
    """Each without content or address: kind, about, state, the last code."""
    tenant = known_tenant(query["tenant"]) if query.get("tenant") else None
    with services() as rpc:
        return rpc.notifications.failed_messages(tenant, query["limit"], query.get("after"))


@blueprint.route("/operator/notifications/<tenant>/<message_id>/resend", methods=["POST"],
                 security=STAFF, summary="Send a failed message again (platform operator)",
                 refuses={**OPERATOR_ONLY,
                          404: "Unknown municipality or message (`message_not_found`)",
                          409: "The message is not in a state that can be sent again"})
@blueprint.response(200, contract.MessageStatusSchema, description="Queued again")
@as_operator
def operator_resend_message(tenant: str, message_id: str, actor: dict[str, str]) -> Any:
    """To the address its owner has now; the actor goes into the message's history."""
    with services() as rpc:
        return rpc.notifications.resend_message(tenant, message_id,
                                                {"subject": actor["subject"],
                                                 "role": actor["role"]})
