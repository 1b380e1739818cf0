# SPDX-License-Identifier: EUPL-1.2
"""The platform operator's one endpoint: the tenants served here and their sign-in providers.

No personal data; every tenant's personal-data routes refuse the operator.
"""
from __future__ import annotations

from typing import Any

from flask import current_app
from marshmallow import Schema, fields

from ..core.api_helpers import api_blueprint
from ..identity.access import api_operator
from ..identity.providers import registry

blueprint = api_blueprint("operator", __name__,
                          "The platform operator: tenants and their sign-in providers")


class ProviderSummarySchema(Schema):
    """A sign-in provider as the operator sees it."""

    id = fields.String(required=True)
    audience = fields.String(required=True, metadata={"enum": ["residents", "staff"]})
    issuer = fields.String(required=True)
    development = fields.Boolean(required=True)


class TenantSummarySchema(Schema):
    """A tenant as the operator sees it."""

    id = fields.String(required=True)
    hosts = fields.List(fields.String(), required=True)
    identity_providers = fields.List(fields.Nested(ProviderSummarySchema), required=True)


@blueprint.route("/operator/tenants", methods=["GET"], security="staffToken",
                 summary="Tenants and their sign-in providers (platform operator only)",
                 refuses={403: "Not the platform operator"}, calls_services=False)
@blueprint.response(200, TenantSummarySchema(many=True), description="The tenants")
def operator_tenants() -> Any:
    """For the ``*:operator`` role: tenants, hosts and provider ids."""
    api_operator()
    providers = registry(current_app)
    tenants = current_app.extensions["loket_tenants"].by_id.values()
    return [
        {"id": tenant.id, "hosts": list(tenant.hosts),
         "identity_providers": [
             {"id": item.id, "audience": item.audience, "issuer": item.issuer,
              "development": item.development}
             for item in providers.for_tenant(tenant.id)]}
        for tenant in tenants]
