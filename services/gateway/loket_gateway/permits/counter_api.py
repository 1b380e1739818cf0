# SPDX-License-Identifier: EUPL-1.2
"""The counter's permit API: staff enter an application received on paper or in person.

A staff token with the ``counter_staff`` or ``case_worker`` role (tenant admins have both);
the service checks the answers as a resident's submission and records the actor's role.
"""
from __future__ import annotations

from typing import Any

from loket_contracts.permits import counter as contract

from ..core.api_helpers import api_blueprint
from ..core.rpc import services
from ..identity.access import current_actor, require_role
from ..identity.staff_roles import CASE_WORKER, COUNTER_STAFF

blueprint = api_blueprint("permit_counter", __name__,
                          "Applications staff enter at the counter for a resident")


@blueprint.route("/tenants/<tenant>/counter/applications", methods=["POST"],
                 security="staffToken",
                 summary="Enter an application received at the counter (counter staff, "
                         "case worker)")
@blueprint.response(201, contract.CounterReceiptSchema,
                    description="Submitted: what the resident's receipt says")
@require_role(COUNTER_STAFF, CASE_WORKER)
@blueprint.arguments(contract.CounterEntrySchema)
def enter_counter_application(body: dict[str, Any], tenant: str) -> Any:
    """Checked like a resident's submission (400 with ``invalid_params``); channel counter."""
    with services() as rpc:
        return rpc.permits.enter_counter_application(tenant, body, current_actor()), 201
