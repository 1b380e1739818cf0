# SPDX-License-Identifier: EUPL-1.2
"""The statistics API: figures and settings (tenant admins), corrections, releases, operator.

Tenant admins (``staffToken``, ``tenant_admin``): ``GET /tenants/<t>/statistics/figures
?month=`` (live, unsuppressed: not published), ``GET``/``PUT .../statistics/settings``
(the settings' ``version`` as ``ETag``; a PUT names it in ``If-Match``: ``428`` without,
``412 version_conflict`` when stale), ``POST .../statistics/corrections`` (a new release of
a published month). Anyone: ``GET /tenants/<t>/statistics/releases``. The platform
operator: ``GET /operator/statistics?month=`` (every tenant). A month is ``YYYY-MM``
(``400 validation_failed`` otherwise); without one, the running month (Europe/Berlin).
Tenants are in the path, as everywhere in this API.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from flask import request
from marshmallow import Schema, fields
from werkzeug.http import quote_etag

from loket_contracts.statistics import schemas as contract
from loket_contracts.statistics.measures import MONTH, MONTH_ZONE

from ..core.api_helpers import api_blueprint
from ..core.errors import PreconditionRequired, UnusableIfMatch
from ..core.rpc import services
from ..identity.access import current_actor, require_role
from ..identity.staff_roles import TENANT_ADMIN
from ..notifications.api import as_operator

blueprint = api_blueprint("statistics", __name__,
                          "Statistics: live figures and settings for tenant admins, "
                          "corrections, the published releases, every tenant for the "
                          "operator")

STAFF = "staffToken"
ETAG = {"ETag": {"description": 'The settings\' version, e.g. "3": send it as If-Match',
                 "schema": {"type": "string"}}}


class StatisticsReleaseSchema(contract.ReleaseSchema):
    """A published month (the contract's ``ReleaseSchema``, named apart from the lottery's)."""


def running_month() -> str:
    """The running month, ``YYYY-MM`` in Europe/Berlin."""
    return datetime.now(MONTH_ZONE).strftime("%Y-%m")


class MonthQuerySchema(Schema):
    """Which month (the running one without)."""

    month = fields.String(validate=MONTH, metadata={"description": "YYYY-MM"})


def _expected_version() -> int:
    """The version ``If-Match`` names (428 without one; 412 when it is none we send)."""
    header = request.headers.get("If-Match")
    if not header:
        raise PreconditionRequired("Send the ETag you read as If-Match, so no change is lost.")
    tag = header.strip()
    if len(tag) > 2 and tag[0] == tag[-1] == '"' and tag[1:-1].isdigit() and len(tag) < 12:
        return int(tag[1:-1])
    raise UnusableIfMatch('If-Match must be one ETag as this API sends it, e.g. "3".')


def if_match(view: Callable) -> Callable:
    """Give the view ``expected`` (the If-Match version), checked before the body is read.

    Unlike the catalogue's, version 0 is one: settings nobody changed yet (the tenant
    file's defaults) may carry it.
    """
    @wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        return view(*args, expected=_expected_version(), **kwargs)
    return checked


def _versioned(settings: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
    return settings, 200, {"ETag": quote_etag(str(settings["version"]))}


@blueprint.route("/tenants/<tenant>/statistics/figures", methods=["GET"], security=STAFF,
                 summary="A month's live figures, unsuppressed and not published (tenant "
                         "admin)")
@blueprint.response(200, contract.MonthFiguresSchema, description="Counts by process and "
                                                                  "channel")
@require_role(TENANT_ADMIN)
@blueprint.arguments(MonthQuerySchema, location="query")
def statistics_figures(query: dict[str, Any], tenant: str) -> Any:
    """Counts per process, measure and channel, the digital share against the expected."""
    with services() as rpc:
        return rpc.statistics.month_figures(tenant, query.get("month") or running_month())


@blueprint.route("/tenants/<tenant>/statistics/settings", methods=["GET"], security=STAFF,
                 summary="The statistics settings, with their version as ETag (tenant admin)")
@blueprint.response(200, contract.SettingsSchema, description="The settings", headers=ETAG)
@require_role(TENANT_ADMIN)
def get_statistics_settings(tenant: str) -> Any:
    """Threshold, extra channels and the expected digital share per process."""
    with services() as rpc:
        return _versioned(rpc.statistics.get_settings(tenant))


@blueprint.route("/tenants/<tenant>/statistics/settings", methods=["PUT"], security=STAFF,
                 summary="Replace the statistics settings (tenant admin)",
                 headers={"If-Match": 'The ETag you read, e.g. "3" (required)'},
                 refuses={412: "version_conflict: changed meanwhile, or If-Match names no "
                               "version this API sends",
                          428: "precondition_required: no If-Match"})
@blueprint.response(200, contract.SettingsSchema, description="Replaced", headers=ETAG)
@require_role(TENANT_ADMIN)
@if_match
@blueprint.arguments(contract.SettingsSchema)
def put_statistics_settings(body: dict[str, Any], tenant: str, expected: int) -> Any:
    """As a whole, at the version read (checked before the body is loaded)."""
    with services() as rpc:
        return _versioned(rpc.statistics.put_settings(tenant, body, expected,
                                                      current_actor()))


@blueprint.route("/tenants/<tenant>/statistics/corrections", methods=["POST"], security=STAFF,
                 summary="Publish a correction of a published month (tenant admin)",
                 refuses={409: "The month has no release to correct"})
@blueprint.response(201, StatisticsReleaseSchema, description="The new release")
@require_role(TENANT_ADMIN)
@blueprint.arguments(contract.CorrectionSchema)
def publish_statistics_correction(body: dict[str, Any], tenant: str) -> Any:
    """A new release of the month with the reason; the corrected one stays as it was."""
    with services() as rpc:
        return rpc.statistics.publish_correction(tenant, body, current_actor())


@blueprint.route("/tenants/<tenant>/statistics/releases", methods=["GET"],
                 summary="Every published release, newest first (public)")
@blueprint.response(200, StatisticsReleaseSchema(many=True), description="The releases")
def list_statistics_releases(tenant: str) -> Any:
    """Month, number, files with their SHA-256, the chain's links and corrections."""
    with services() as rpc:
        return rpc.statistics.list_releases(tenant)


@blueprint.route("/operator/statistics", methods=["GET"], security=STAFF,
                 summary="Every tenant's live figures of a month (platform operator)",
                 refuses={403: "Not the platform operator"})
@blueprint.response(200, contract.MonthFiguresSchema(many=True),
                    description="One entry per tenant")
@as_operator
@blueprint.arguments(MonthQuerySchema, location="query")
def operator_statistics(query: dict[str, Any], actor: dict[str, str]) -> Any:
    """Counts only: no personal data."""
    with services() as rpc:
        return rpc.statistics.all_tenants_figures(query.get("month") or running_month())
