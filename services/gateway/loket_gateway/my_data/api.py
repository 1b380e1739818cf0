# SPDX-License-Identifier: EUPL-1.2
"""The residents' own-data API (``/api/v1/tenants/<t>/me``, GDPR art. 15-17 and 20).

Profile, businesses, consents, who read my data, my appointments, export and erasure.

Every route identifies the resident by the bearer access token
(:func:`identity.access.api_resident`); the subject comes only from the token, never from the
path or body, so nobody can address another person's data. Export and erasure need the
tenant's trust level for them.
"""
from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, NamedTuple

from flask import Response, jsonify
from marshmallow import Schema
from nameko.exceptions import RemoteError

from ..core.api_helpers import json_body, known_tenant
from ..core.errors import NoErasureRequest, ValidationFailed
from ..core.legacy_openapi import legacy_api_blueprint, operation
from ..core.problems import remote_code
from ..core.rpc import services
from ..identity.access import Resident, api_resident, bearer_token, required_level
from . import schemas

blueprint = legacy_api_blueprint("my_data_api", __name__)

TAGS = ("my data",)
ME = "/tenants/<tenant>/me"
AUTH = {401: ("No valid access token", None),
        403: ("Not a resident of this municipality, or the trust level is too low", None)}
EXPORTED_BY = ("profile", "appointments", "permits")


class AsResident(NamedTuple):
    """What a resident's request works with."""

    rpc: Any
    tenant: str
    resident: Resident
    body: Any


@contextmanager
def _as_resident(tenant: str, read: Callable[[], Any] = lambda: None, *,
                 action: str | None = None) -> Iterator[AsResident]:
    """The tenant, then the token (and the trust level ``action`` needs), then the body."""
    tenant = known_tenant(tenant)
    resident = api_resident(tenant, required_level(tenant, action) if action else "low")
    body = read()
    with services() as rpc:
        yield AsResident(rpc, tenant, resident, body)


def _body(schema: type[Schema]) -> Callable[[], dict]:
    return lambda: json_body(schema())


def checked_purpose(purpose: str) -> str:
    """A consent purpose from the path (a slug; anything else is a 400 before any RPC)."""
    if not schemas.PURPOSE.regex.match(purpose):
        raise ValidationFailed("Unknown consent purpose.",
                               invalid_params=[{"name": "purpose", "reason": "Not a purpose."}])
    return purpose


def _token_claims() -> dict[str, Any]:
    """The claims of the request's bearer token, which :func:`api_resident` has validated."""
    payload = bearer_token().split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return claims if isinstance(claims, dict) else {}


def own_profile(call: AsResident, read: Callable[[], dict]) -> dict:
    """``read()``; a resident who only ever used the API gets the profile sign-in creates."""
    try:
        return read()
    except RemoteError as error:
        if remote_code(error) != "profile_not_found":
            raise
    claims = _token_claims()
    call.rpc.profile.sign_in(call.tenant, call.resident.subject, {
        "given_name": claims.get("given_name"), "family_name": claims.get("family_name"),
        "email": call.resident.email, "trust_level": call.resident.trust_level})
    return read()


@blueprint.get(ME)
@operation("My profile", {200: ("My profile", schemas.ProfileSchema), **AUTH},
           tags=TAGS, security=True)
def my_profile(tenant: str):
    """The profile the profile service holds for the token's subject."""
    with _as_resident(tenant) as call:
        return jsonify(own_profile(call, lambda: call.rpc.profile.get_profile(
            call.tenant, call.resident.subject)))


@blueprint.patch(ME)
@operation("Change my profile (only the fields sent)",
           {200: ("The changed profile", schemas.ProfileSchema), **AUTH},
           request=schemas.ProfileUpdateSchema, tags=TAGS, security=True)
def change_my_profile(tenant: str):
    """Partial update; every field is checked here and again by the service."""
    with _as_resident(tenant, _body(schemas.ProfileUpdateSchema)) as call:
        return jsonify(own_profile(call, lambda: call.rpc.profile.update_profile(
            call.tenant, call.resident.subject, call.body)))


@blueprint.get("/tenants/<tenant>/profile-fields")
@operation("The fields of a profile, which are required, and why each is asked for",
           {200: ("Fields", schemas.ProfileFieldSchema(many=True))}, tags=TAGS)
def profile_fields(tenant: str):
    """Public: what a profile holds and why."""
    tenant = known_tenant(tenant)
    with services() as rpc:
        return jsonify(rpc.profile.profile_fields())


@blueprint.get(ME + "/businesses")
@operation("The businesses I represent",
           {200: ("Mine", schemas.BusinessSchema(many=True)), **AUTH}, tags=TAGS, security=True)
def my_businesses(tenant: str):
    """Business profiles the token's subject represents."""
    with _as_resident(tenant) as call:
        return jsonify(call.rpc.profile.list_businesses(call.tenant, call.resident.subject))


@blueprint.post(ME + "/businesses")
@operation("Add a business I represent",
           {201: ("Added", schemas.BusinessSchema), **AUTH},
           request=schemas.BusinessRequestSchema, tags=TAGS, security=True)
def add_business(tenant: str):
    """A new business profile with me as its representative."""
    with _as_resident(tenant, _body(schemas.BusinessRequestSchema)) as call:
        saved = call.rpc.profile.save_business(call.tenant, call.resident.subject, None,
                                               call.body)
    return jsonify(saved), 201


@blueprint.put(ME + "/businesses/<business_id>")
@operation("Replace one of my businesses",
           {200: ("Saved", schemas.BusinessSchema), **AUTH},
           request=schemas.BusinessRequestSchema, tags=TAGS, security=True)
def save_business(tenant: str, business_id: str):
    """Only businesses I represent; others' are 404."""
    with _as_resident(tenant, _body(schemas.BusinessRequestSchema)) as call:
        return jsonify(call.rpc.profile.save_business(call.tenant, call.resident.subject,
                                                      business_id, call.body))


@blueprint.get(ME + "/consents")
@operation("My consents: each purpose, given or not, and when",
           {200: ("Consents", schemas.ConsentSchema(many=True)), **AUTH},
           tags=TAGS, security=True)
def my_consents(tenant: str):
    """Every purpose the municipality asks consent for, with my answer and its times."""
    with _as_resident(tenant) as call:
        return jsonify(call.rpc.profile.list_consents(call.tenant, call.resident.subject))


@blueprint.put(ME + "/consents/<purpose>")
@operation("Give my consent for a purpose",
           {200: ("The consent, given", schemas.ConsentSchema), **AUTH,
            400: ("Not a purpose the municipality asks consent for", None)},
           tags=TAGS, security=True)
def give_consent(tenant: str, purpose: str):
    """Recorded with the time; giving it again changes nothing."""
    with _as_resident(tenant, lambda: checked_purpose(purpose)) as call:
        return jsonify(call.rpc.profile.give_consent(call.tenant, call.resident.subject,
                                                     purpose))


@blueprint.delete(ME + "/consents/<purpose>")
@operation("Withdraw my consent for a purpose",
           {200: ("The consent, withdrawn", schemas.ConsentSchema), **AUTH,
            400: ("Not a purpose the municipality asks consent for", None)},
           tags=TAGS, security=True)
def withdraw_consent(tenant: str, purpose: str):
    """Recorded with the time; the history stays visible to me."""
    with _as_resident(tenant, lambda: checked_purpose(purpose)) as call:
        return jsonify(call.rpc.profile.withdraw_consent(call.tenant, call.resident.subject,
                                                         purpose))


@blueprint.get(ME + "/access-log")
@operation("Who read my data: when, who, in which role, for what purpose, where",
           {200: ("Newest first", schemas.AccessLogEntrySchema(many=True)), **AUTH},
           tags=TAGS, security=True)
def my_access_log(tenant: str):
    """Every staff read of my data, from the profile service's log."""
    with _as_resident(tenant) as call:
        return jsonify(call.rpc.profile.access_log(call.tenant, call.resident.subject))


@blueprint.get(ME + "/appointments")
@operation("My appointments (booked while signed in)",
           {200: ("Mine", schemas.OwnBookingSchema(many=True)), **AUTH},
           tags=TAGS, security=True)
def my_appointments(tenant: str):
    """Bookings that carry my subject."""
    with _as_resident(tenant) as call:
        return jsonify(call.rpc.appointments.list_own_bookings(call.tenant,
                                                               call.resident.subject))


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


@blueprint.get(ME + "/export")
@operation("Everything held about me, by every service, as one JSON file",
           {200: ("The file (Content-Disposition: attachment)", schemas.ExportSchema), **AUTH},
           tags=TAGS, security=True)
def export_my_data(tenant: str):
    """Profile, appointments and permits each export their part."""
    with _as_resident(tenant, action="export") as call:
        document = export_document(call.rpc, call.tenant, call.resident.subject)
    return download(document, call.tenant)


@blueprint.post(ME + "/erasure")
@operation("Erase my data in every service",
           {202: ("Requested; each service confirms when done", schemas.ErasureSchema),
            **AUTH}, tags=TAGS, security=True)
def request_erasure(tenant: str):
    """The request travels as an event; GET shows each service's progress."""
    with _as_resident(tenant, action="erasure") as call:
        requested = call.rpc.profile.request_erasure(call.tenant, call.resident.subject)
    return jsonify(requested), 202


@blueprint.get(ME + "/erasure")
@operation("The progress of my erasure request",
           {200: ("The request", schemas.ErasureSchema), **AUTH,
            404: ("No erasure requested (no_erasure_request)", None)},
           tags=TAGS, security=True)
def erasure_progress(tenant: str):
    """in_progress until every service confirmed, then completed."""
    with _as_resident(tenant) as call:
        found = call.rpc.profile.erasure_status(call.tenant, call.resident.subject)
    if found is None:
        raise NoErasureRequest("You have not asked to erase your data.")
    return jsonify(found)
