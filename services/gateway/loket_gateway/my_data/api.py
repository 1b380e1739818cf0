# SPDX-License-Identifier: EUPL-1.2
"""The residents' own-data API (``/api/v1/tenants/<t>/me``, GDPR art. 15-17 and 20).

Profile, businesses, consents, who read my data, my appointments, export and erasure.

Every route identifies the resident by the bearer access token (:func:`as_resident`, before
the body is read); the subject comes only from the token, never from the path or body, so
nobody can address another person's data. Export and erasure need the tenant's trust level
for them. Answers are dumped through the contract's schemas (:mod:`loket_contracts.profile`);
see :mod:`..core.openapi` for how a route declares its request, answer and errors.
"""
from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from flask import Response, request
from nameko.exceptions import RemoteError

from loket_contracts.appointments.schemas import BookingSchema
from loket_contracts.profile import rights
from loket_contracts.profile import schemas as contract

from ..core.api_helpers import api_blueprint
from ..core.errors import NoErasureRequest, ValidationFailed
from ..core.problems import remote_code
from ..core.rpc import services
from ..identity.access import Resident, as_resident, bearer_token
from . import schemas

blueprint = api_blueprint(
    "own_data", __name__, "A resident's own data: profile, businesses, consents, who read "
    "it, appointments, export and erasure (GDPR art. 15-17 and 20)")

ME = "/tenants/<tenant>/me"
RESIDENT = "residentToken"
NOT_A_PURPOSE = {400: "Not a purpose the municipality asks consent for"}
EXPORTED_BY = ("profile", "appointments", "permits", "notifications")


def as_sent(loaded: dict[str, Any], sent: Any = None) -> dict[str, Any]:
    """``loaded`` with only the fields the resident sent (``request``'s JSON).

    The contract fills in defaults on loading (an address's country, a business's empty
    fields); the service loads the body again and applies them itself, so a change carries
    only what was sent.
    """
    sent = request.get_json(silent=True) if sent is None else sent
    return {key: as_sent(value, sent[key]) if isinstance(value, dict) else value
            for key, value in loaded.items() if key in sent}


def checked_purpose(purpose: str) -> str:
    """A consent purpose from the path (a slug; anything else is a 400 before any RPC)."""
    if not schemas.CONSENT_PURPOSE.match(purpose):
        raise ValidationFailed("Unknown consent purpose.",
                               invalid_params=[{"name": "purpose", "reason": "Not a purpose."}])
    return purpose


def _token_claims() -> dict[str, Any]:
    """The claims of the request's bearer token, which :func:`api_resident` has validated."""
    payload = bearer_token().split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return claims if isinstance(claims, dict) else {}


def own_profile(rpc: Any, tenant: str, resident: Resident, read: Callable[[], dict]) -> dict:
    """``read()``; a resident who only ever used the API gets the profile sign-in creates."""
    try:
        return read()
    except RemoteError as error:
        if remote_code(error) != "profile_not_found":
            raise
    claims = _token_claims()
    rpc.profile.sign_in(tenant, resident.subject, {
        "given_name": claims.get("given_name"), "family_name": claims.get("family_name"),
        "email": resident.email, "trust_level": resident.trust_level})
    return read()


@blueprint.route(ME, methods=["GET"], summary="My profile", security=RESIDENT)
@blueprint.response(200, contract.ProfileSchema, description="My profile")
@as_resident()
def my_profile(tenant: str, resident: Resident) -> Any:
    """The profile the profile service holds for the token's subject."""
    with services() as rpc:
        return own_profile(rpc, tenant, resident,
                           lambda: rpc.profile.get_profile(tenant, resident.subject))


@blueprint.route(ME, methods=["PATCH"], summary="Change my profile (only the fields sent)",
                 security=RESIDENT)
@blueprint.response(200, contract.ProfileSchema, description="The changed profile")
@as_resident()
@blueprint.arguments(contract.ProfileUpdateSchema)
def change_my_profile(change: dict[str, Any], tenant: str, resident: Resident) -> Any:
    """Partial update; every field is checked here and again by the service."""
    change = as_sent(change)
    with services() as rpc:
        return own_profile(rpc, tenant, resident, lambda: rpc.profile.update_profile(
            tenant, resident.subject, change))


@blueprint.route("/tenants/<tenant>/profile-fields", methods=["GET"],
                 summary="The fields of a profile, which are required, and why each is "
                         "asked for")
@blueprint.response(200, rights.ProfileFieldSchema(many=True), description="Fields")
def profile_fields(tenant: str) -> Any:
    """Public: what a profile holds and why."""
    with services() as rpc:
        return rpc.profile.profile_fields()


@blueprint.route(ME + "/businesses", methods=["GET"], summary="The businesses I represent",
                 security=RESIDENT)
@blueprint.response(200, contract.BusinessSchema(many=True), description="Mine")
@as_resident()
def my_businesses(tenant: str, resident: Resident) -> Any:
    """Business profiles the token's subject represents."""
    with services() as rpc:
        return rpc.profile.list_businesses(tenant, resident.subject)


@blueprint.route(ME + "/businesses", methods=["POST"], summary="Add a business I represent",
                 security=RESIDENT)
@blueprint.response(201, contract.BusinessSchema, description="Added")
@as_resident()
@blueprint.arguments(contract.BusinessPayloadSchema)
def add_business(business: dict[str, Any], tenant: str, resident: Resident) -> Any:
    """A new business profile with me as its representative."""
    with services() as rpc:
        return rpc.profile.save_business(tenant, resident.subject, None,
                                         as_sent(business)), 201


@blueprint.route(ME + "/businesses/<business_id>", methods=["PUT"],
                 summary="Replace one of my businesses", security=RESIDENT,
                 refuses={404: "Unknown municipality, or no business of mine with this id "
                               "(`business_not_found`)"})
@blueprint.response(200, contract.BusinessSchema, description="Saved")
@as_resident()
@blueprint.arguments(contract.BusinessPayloadSchema)
def save_business(business: dict[str, Any], tenant: str, resident: Resident,
                  business_id: str) -> Any:
    """Only businesses I represent; others' are 404."""
    with services() as rpc:
        return rpc.profile.save_business(tenant, resident.subject, business_id,
                                         as_sent(business))


@blueprint.route(ME + "/consents", methods=["GET"],
                 summary="My consents: each purpose, given or not, and when", security=RESIDENT)
@blueprint.response(200, rights.ConsentSchema(many=True), description="Consents")
@as_resident()
def my_consents(tenant: str, resident: Resident) -> Any:
    """Every purpose the municipality asks consent for, with my answer and its times."""
    with services() as rpc:
        return rpc.profile.list_consents(tenant, resident.subject)


@blueprint.route(ME + "/consents/<purpose>", methods=["PUT"],
                 summary="Give my consent for a purpose", security=RESIDENT,
                 refuses=NOT_A_PURPOSE)
@blueprint.response(200, rights.ConsentSchema, description="The consent, given")
@as_resident()
def give_consent(tenant: str, resident: Resident, purpose: str) -> Any:
    """Recorded with the time; giving it again changes nothing."""
    purpose = checked_purpose(purpose)
    with services() as rpc:
        return rpc.profile.give_consent(tenant, resident.subject, purpose)


@blueprint.route(ME + "/consents/<purpose>", methods=["DELETE"],
                 summary="Withdraw my consent for a purpose", security=RESIDENT,
                 refuses=NOT_A_PURPOSE)
@blueprint.response(200, rights.ConsentSchema, description="The consent, withdrawn")
@as_resident()
def withdraw_consent(tenant: str, resident: Resident, purpose: str) -> Any:
    """Recorded with the time; the history stays visible to me."""
    purpose = checked_purpose(purpose)
    with services() as rpc:
        return rpc.profile.withdraw_consent(tenant, resident.subject, purpose)


@blueprint.route(ME + "/access-log", methods=["GET"], security=RESIDENT,
                 summary="Who read my data: when, who, in which role, for what purpose, where")
@blueprint.response(200, rights.AccessLogEntrySchema(many=True), description="Newest first")
@as_resident()
def my_access_log(tenant: str, resident: Resident) -> Any:
    """Every staff read of my data, from the profile service's log."""
    with services() as rpc:
        return rpc.profile.access_log(tenant, resident.subject)


@blueprint.route(ME + "/appointments", methods=["GET"], security=RESIDENT,
                 summary="My appointments (booked while signed in)")
@blueprint.response(200, BookingSchema(many=True), description="Mine")
@as_resident()
def my_appointments(tenant: str, resident: Resident) -> Any:
    """Bookings that carry my subject."""
    with services() as rpc:
        return rpc.appointments.list_own_bookings(tenant, resident.subject)


def export_document(rpc: Any, tenant: str, subject: str) -> dict[str, Any]:
    """What every service holds about ``subject``, as one document."""
    return {"generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "tenant": tenant, "subject": subject,
            "services": {name: getattr(rpc, name).export_subject(tenant, subject)
                         for name in EXPORTED_BY}}


def download(document: dict[str, Any], tenant: str) -> Response:
    """``document`` as a JSON file download."""
    response = Response(json.dumps(document, ensure_ascii=False, indent=2, default=str),
                        mimetype="application/json")
    day = document["generated_at"][:10]
    response.headers.set("Content-Disposition", "attachment",
                         filename=f"loket-{tenant}-my-data-{day}.json")
    response.headers["Cache-Control"] = "no-store"
    return response


TOO_LOW = {403: "Not a resident of this municipality, or the sign-in's trust level is below "
                "what this needs (`trust_level_too_low`)"}
DOWNLOAD_HEADERS = {
    "Content-Disposition": {"description": "attachment; filename=loket-<tenant>-my-data-"
                                           "<day>.json", "schema": {"type": "string"}},
    "Cache-Control": {"description": "no-store", "schema": {"type": "string"}}}


@blueprint.route(ME + "/export", methods=["GET"], security=RESIDENT, refuses=TOO_LOW,
                 summary="Everything held about me, by every service, as one JSON file")
@blueprint.response(200, schemas.ExportSchema, headers=DOWNLOAD_HEADERS,
                    description="The file (Content-Disposition: attachment)")
@as_resident("export")
def export_my_data(tenant: str, resident: Resident) -> Any:
    """Profile, appointments, permits and notifications each export their part."""
    with services() as rpc:
        document = export_document(rpc, tenant, resident.subject)
    return download(document, tenant)


@blueprint.route(ME + "/erasure", methods=["POST"], security=RESIDENT, refuses=TOO_LOW,
                 summary="Erase my data in every service")
@blueprint.response(202, rights.ErasureSchema,
                    description="Requested; each service confirms when done")
@as_resident("erasure")
def request_erasure(tenant: str, resident: Resident) -> Any:
    """The request travels as an event; GET shows each service's progress."""
    with services() as rpc:
        return rpc.profile.request_erasure(tenant, resident.subject), 202


@blueprint.route(ME + "/erasure", methods=["GET"], security=RESIDENT,
                 summary="The progress of my erasure request",
                 refuses={404: "Unknown municipality, or no erasure requested "
                               "(`no_erasure_request`)"})
@blueprint.response(200, rights.ErasureSchema, description="The request")
@as_resident()
def erasure_progress(tenant: str, resident: Resident) -> Any:
    """in_progress until every service confirmed, then completed."""
    with services() as rpc:
        found = rpc.profile.erasure_status(tenant, resident.subject)
    if found is None:
        raise NoErasureRequest("You have not asked to erase your data.")
    return found
