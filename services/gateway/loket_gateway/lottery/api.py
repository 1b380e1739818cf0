# SPDX-License-Identifier: EUPL-1.2
"""The fair-release API: a service's release, lottery entries and their results.

Answers are dumped through the contract's schemas (:mod:`loket_contracts.appointments.lottery`);
see :mod:`..core.openapi` for how a route declares its request, answer and errors.
"""
from __future__ import annotations

from typing import Any

from loket_contracts.appointments import lottery as contract

from ..appointments.anti_bot.hold_guard import person_key
from ..core.api_helpers import api_blueprint, request_secret
from ..core.rate_limits import BOOKING_PERSON_LIMIT, HOLD_LIMIT, limit_address, limit_person
from ..core.rpc import services
from ..core.tenants import tenant_url
from ..identity.signed_in import api_resident_if_sent, with_subject
from . import schemas

blueprint = api_blueprint("fair_release", __name__,
                          "Scarce services: a release's lottery, its entries and results")


@blueprint.route("/tenants/<tenant>/services/<service_id>/release", methods=["GET"],
                 summary="The service's latest release: first come, or a lottery window "
                         "and its draw")
@blueprint.response(200, contract.ReleaseSchema, description="The release")
def service_release(tenant: str, service_id: str) -> Any:
    """Mode, state, day, opened_at and draw_at."""
    with services() as rpc:
        return rpc.appointments.release_info(tenant, service_id)


@blueprint.route("/tenants/<tenant>/lottery-entries", methods=["POST"],
                 summary="Enter the lottery of a newly released day",
                 refuses={401: "An access token was sent but is not valid",
                          403: "The access token is another municipality's",
                          409: "No lottery open now, or already entered",
                          429: "Too many requests from this address or for this person"})
@blueprint.response(201, schemas.EnteredWithLinkSchema,
                    description="Entered; keep the status link")
@limit_address(HOLD_LIMIT, scope="hold")
@limit_person(person_key, BOOKING_PERSON_LIMIT, scope="booking-person")
@blueprint.arguments(contract.EntryFormSchema)
def enter_lottery(body: dict[str, Any], tenant: str) -> Any:
    """One entry per person and release; arrival time does not matter."""
    resident = api_resident_if_sent(tenant)  # signed in: the entry is theirs
    with services() as rpc:
        entered = rpc.appointments.enter_lottery(tenant, with_subject(body, resident))
    entered["status_url"] = tenant_url(tenant, "fair_release.lottery_entry", tenant=tenant,
                                       reference=entered["entry"]["reference"],
                                       token=entered["status_token"])
    return entered, 201


@blueprint.route("/tenants/<tenant>/lottery-entries/<reference>", methods=["GET"],
                 summary="My lottery entry: pending, allocated (with the booking) or "
                         "not_allocated", security="statusToken")
@blueprint.response(200, contract.EntrySchema, description="The entry")
def lottery_entry(tenant: str, reference: str) -> Any:
    """The result, opened by the entry's status token."""
    token = request_secret("X-Status-Token", "the entry's status token")
    with services() as rpc:
        return rpc.appointments.lottery_entry(tenant, reference, token)
