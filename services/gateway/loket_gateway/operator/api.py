# SPDX-License-Identifier: EUPL-1.2
"""The platform operator's one endpoint: the tenants served here and their sign-in providers.

No personal data; every tenant's personal-data routes refuse the operator.
"""
from __future__ import annotations

from flask import current_app, jsonify
from marshmallow import Schema, fields

from ..core.errors import Forbidden, NotAuthenticated
from ..core.legacy_openapi import legacy_api_blueprint, operation
from ..identity.access import bearer_token, validated
from ..identity.providers import registry
from ..identity.staff_roles import is_operator

blueprint = legacy_api_blueprint("operator_api", __name__)


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


@blueprint.get("/operator/tenants")
@operation("Tenants and their sign-in providers (platform operator only)",
           {200: ("The tenants", TenantSummarySchema(many=True)),
            401: ("No valid staff token", None), 403: ("Not the operator", None)},
           tags=("operator",), security="staffToken")
def operator_tenants():
    """For the ``*:operator`` role: tenants, hosts and provider ids."""
    providers = registry(current_app)
    found = validated(bearer_token(), [item for item in providers.providers
                                       if item.audience == "staff"])
    if found is None:
        raise NotAuthenticated("Send a staff access token as 'Authorization: Bearer <token>'.")
    if not is_operator(found[1].get("loket_roles")):
        raise Forbidden("Only the platform operator may do this.")
    tenants = current_app.extensions["loket_tenants"].by_id.values()
    return jsonify(TenantSummarySchema(many=True).dump([
        {"id": tenant.id, "hosts": list(tenant.hosts),
         "identity_providers": [
             {"id": item.id, "audience": item.audience, "issuer": item.issuer,
              "development": item.development}
             for item in providers.for_tenant(tenant.id)]}
        for tenant in tenants]))
