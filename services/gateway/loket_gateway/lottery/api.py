# SPDX-License-Identifier: EUPL-1.2
"""The fair-release API: a service's release, lottery entries and their results."""
from __future__ import annotations

from flask import jsonify, url_for

from ..appointments.anti_bot.hold_guard import person_key
from ..core.api_helpers import json_body, known_tenant, request_secret
from ..core.legacy_openapi import legacy_api_blueprint, operation
from ..core.rate_limits import BOOKING_PERSON_LIMIT, HOLD_LIMIT, limit_address, limit_person
from ..core.rpc import services
from ..identity.signed_in import api_resident_if_sent, with_subject
from . import schemas

blueprint = legacy_api_blueprint("lottery_api", __name__)

TAGS = ("appointments: fair release",)


def _status_token() -> str:
    return request_secret("X-Status-Token", "the entry's status token")


@blueprint.get("/tenants/<tenant>/services/<service_id>/release")
@operation("The service's latest release: first come, or a lottery window and its draw",
           {200: ("The release", schemas.ReleaseSchema)}, tags=TAGS)
def service_release(tenant: str, service_id: str):
    """Mode, state, day, opened_at and draw_at."""
    tenant = known_tenant(tenant)
    with services() as rpc:
        return jsonify(rpc.appointments.release_info(tenant, service_id))


@blueprint.post("/tenants/<tenant>/lottery-entries")
@operation("Enter the lottery of a newly released day",
           {201: ("Entered; keep the status link", schemas.EnteredSchema),
            409: ("No lottery open now, or already entered", None),
            429: ("Too many requests from this address", None)},
           request=schemas.EntryRequestSchema, tags=TAGS)
@limit_address(HOLD_LIMIT, scope="hold")
@limit_person(person_key, BOOKING_PERSON_LIMIT, scope="booking-person")
def enter_lottery(tenant: str):
    """One entry per person and release; arrival time does not matter."""
    tenant = known_tenant(tenant)
    resident = api_resident_if_sent(tenant)  # signed in: the entry is theirs
    body = json_body(schemas.EntryRequestSchema())
    with services() as rpc:
        entered = rpc.appointments.enter_lottery(tenant, with_subject(body, resident))
    entered["status_url"] = url_for("lottery_api.lottery_entry", tenant=tenant,
                                    reference=entered["entry"]["reference"],
                                    token=entered["status_token"], _external=True)
    return jsonify(entered), 201


@blueprint.get("/tenants/<tenant>/lottery-entries/<reference>")
@operation("My lottery entry: pending, allocated (with the booking) or not_allocated",
           {200: ("The entry", schemas.EntrySchema), 401: ("No status token", None)},
           tags=TAGS, security="statusToken")
def lottery_entry(tenant: str, reference: str):
    """The result, opened by the entry's status token."""
    tenant = known_tenant(tenant)
    token = _status_token()
    with services() as rpc:
        return jsonify(rpc.appointments.lottery_entry(tenant, reference, token))
