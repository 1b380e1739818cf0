# SPDX-License-Identifier: EUPL-1.2
"""The permit application API for residents: types, applications, attachments.

Applicants identify with an access token from the tenant's sign-in (``Authorization:
Bearer``, :func:`identity.access.api_resident`). Case workers' routes are in :mod:`.case_api`.
"""
from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from flask import Response, g, jsonify, request
from marshmallow import Schema
from werkzeug.exceptions import RequestEntityTooLarge

from loket_common.validation import load

from ..core.api_helpers import json_body, known_tenant
from ..core.errors import RequestTooLarge, TrustLevelTooLow, ValidationFailed
from ..core.legacy_openapi import legacy_api_blueprint, operation
from ..core.rate_limits import APPLICATION_LIMIT, UPLOAD_LIMIT, limit_address
from ..core.rpc import services
from ..identity.access import Resident, api_resident
from ..identity.trust_levels import reaches
from . import schemas

blueprint = legacy_api_blueprint("permits_api", __name__)

TAGS = ("permits",)
PATH = "/tenants/<tenant>/applications"
AUTH = {401: ("No valid access token", None),
        403: ("A staff token, or a trust level too low (trust_level_too_low)", None)}
WRITE = {**AUTH, 429: ("Too many applications or changes from this address", None)}
STATE_ERRORS = {409: ("Not possible in this state (transition_not_allowed)", None)}


class AsApplicant(NamedTuple):
    """What an applicant's request works with."""

    rpc: Any
    tenant: str
    who: dict[str, str]
    body: Any


@contextmanager
def _as_applicant(tenant: str, read: Callable[[], Any] = lambda: None) -> Iterator[AsApplicant]:
    """A borrowed RPC proxy with the token's applicant and the request's input.

    The tenant, then the token, then the input (``read``) are checked before any RPC.
    """
    tenant = known_tenant(tenant)
    resident = api_resident(tenant)
    body = read()
    with services() as rpc:
        yield AsApplicant(rpc, tenant, applicant(resident), body)


def applicant(resident: Resident) -> dict[str, str]:
    """The applicant as the permits service names it: the subject and the display name."""
    return {"subject": resident.subject, "name": resident.name}


def check_trust_level(permit_type: dict, resident: Resident) -> None:
    """403 ``trust_level_too_low`` when the type needs more than the sign-in has."""
    minimum = permit_type.get("minimum_trust_level", "low")
    if not reaches(resident.trust_level, minimum):
        raise TrustLevelTooLow(
            f"This application type needs a sign-in at trust level '{minimum}' "
            f"or higher; this token has '{resident.trust_level}'.",
            required_level=minimum)


def _body(schema: type[Schema]) -> Callable[[], dict]:
    return lambda: json_body(schema())


@blueprint.get("/tenants/<tenant>/permit-types")
@operation("Application types the municipality offers",
           {200: ("The permit types", schemas.PermitTypeSummarySchema(many=True))}, tags=TAGS)
def list_permit_types(tenant: str):
    """Permit types, from permits."""
    tenant = known_tenant(tenant)
    with services() as rpc:
        return jsonify(rpc.permits.list_permit_types(tenant))


@blueprint.get("/tenants/<tenant>/permit-types/<type_id>")
@operation("One application type: its form, documents, fee and workflow",
           {200: ("The permit type", schemas.PermitTypeDetailSchema)}, tags=TAGS)
def get_permit_type(tenant: str, type_id: str):
    """A permit type with every field and why it is needed."""
    tenant = known_tenant(tenant)
    with services() as rpc:
        return jsonify(rpc.permits.get_permit_type(tenant, type_id))


@blueprint.post(PATH)
@operation("Start an application (a draft)",
           {201: ("The draft", schemas.ApplicationSchema), **WRITE},
           request=schemas.NewApplicationSchema, tags=TAGS, security=True)
@limit_address(APPLICATION_LIMIT, scope="application")
def create_application(tenant: str):
    """A draft; its data is checked for types only until it is submitted."""
    with _as_applicant(tenant, _body(schemas.NewApplicationSchema)) as call:
        check_trust_level(call.rpc.permits.get_permit_type(call.tenant, call.body["type_id"]),
                          g.resident)
        created = call.rpc.permits.create_application(
            call.tenant, call.who, call.body["type_id"], call.body["data"],
            call.body["on_behalf_of"])
    return jsonify(created), 201


@blueprint.get(PATH)
@operation("My applications", {200: ("Mine", schemas.ApplicationSummarySchema(many=True)),
                               **AUTH}, tags=TAGS, security=True)
def my_applications(tenant: str):
    """The applicant's own applications."""
    with _as_applicant(tenant) as call:
        return jsonify(call.rpc.permits.my_applications(call.tenant, call.who["subject"]))


@blueprint.get(PATH + "/<application_id>")
@operation("One of my applications", {200: ("The application", schemas.ApplicationSchema),
                                      **AUTH}, tags=TAGS, security=True)
def get_application(tenant: str, application_id: str):
    """Own applications only; others' are 404."""
    with _as_applicant(tenant) as call:
        return jsonify(call.rpc.permits.get_application(call.tenant, call.who["subject"],
                                                        application_id))


@blueprint.patch(PATH + "/<application_id>")
@operation("Change fields of my draft (or while information is requested)",
           {200: ("Changed", schemas.ApplicationSchema), **WRITE, **STATE_ERRORS},
           request=schemas.DraftUpdateSchema, tags=TAGS, security=True)
@limit_address(APPLICATION_LIMIT, scope="application")
def update_draft(tenant: str, application_id: str):
    """Merge the sent fields into the draft."""
    with _as_applicant(tenant, _body(schemas.DraftUpdateSchema)) as call:
        return jsonify(call.rpc.permits.update_draft(call.tenant, call.who, application_id,
                                                     call.body["data"]))


@blueprint.post(PATH + "/<application_id>/attachments")
@operation("Attach a document (multipart/form-data: document_id, file)",
           {201: ("Attached", schemas.AttachmentSchema),
            400: ("Missing field, or the document was rejected (attachment_rejected)", None),
            413: ("The upload is too large", None), **WRITE},
           request=schemas.UploadSchema, request_media="multipart/form-data",
           tags=TAGS, security=True)
@limit_address(UPLOAD_LIMIT, scope="upload")
@limit_address(APPLICATION_LIMIT, scope="application")
def add_attachment(tenant: str, application_id: str):
    """The content goes to the service as base64; it detects the type."""
    with _as_applicant(tenant, _upload) as call:
        added = call.rpc.permits.add_attachment(call.tenant, call.who, application_id,
                                                *call.body)
    return jsonify(added), 201


@blueprint.delete(PATH + "/<application_id>/attachments/<attachment_id>")
@operation("Remove a document from my draft", {204: ("Removed", None), **WRITE,
                                               **STATE_ERRORS}, tags=TAGS, security=True)
@limit_address(APPLICATION_LIMIT, scope="application")
def remove_attachment(tenant: str, application_id: str, attachment_id: str):
    """Only while the application can still be changed."""
    with _as_applicant(tenant) as call:
        call.rpc.permits.remove_attachment(call.tenant, call.who, application_id,
                                           attachment_id)
    return Response(status=204)


@blueprint.get(PATH + "/<application_id>/attachments/<attachment_id>")
@operation("Download a document of my application",
           {200: ("The document, as an attachment", None), **AUTH}, tags=TAGS, security=True)
def download_attachment(tenant: str, application_id: str, attachment_id: str):
    """The stored bytes with the detected content type, never rendered inline."""
    with _as_applicant(tenant) as call:
        stored = call.rpc.permits.get_attachment(call.tenant, application_id, attachment_id,
                                                 applicant=call.who)
    return attachment_response(stored)


@blueprint.post(PATH + "/<application_id>/submission")
@operation("Submit my application",
           {200: ("Submitted, with fee and due date", schemas.ApplicationSchema),
            400: ("Incomplete (application_incomplete, invalid_params name the fields)", None),
            **WRITE, **STATE_ERRORS}, tags=TAGS, security=True)
@limit_address(APPLICATION_LIMIT, scope="application")
def submit_application(tenant: str, application_id: str):
    """Full validation; the fee and due date are fixed now."""
    with _as_applicant(tenant) as call:
        return jsonify(call.rpc.permits.submit_application(call.tenant, call.who,
                                                           application_id))


@blueprint.post(PATH + "/<application_id>/withdrawal")
@operation("Withdraw my application", {200: ("Withdrawn", schemas.ApplicationSchema),
                                       **WRITE, **STATE_ERRORS},
           request=schemas.WithdrawalSchema, tags=TAGS, security=True)
@limit_address(APPLICATION_LIMIT, scope="application")
def withdraw_application(tenant: str, application_id: str):
    """Until it is decided."""
    with _as_applicant(tenant, _body(schemas.WithdrawalSchema)) as call:
        return jsonify(call.rpc.permits.withdraw_application(
            call.tenant, call.who, application_id, call.body["reason"]))


@blueprint.post(PATH + "/<application_id>/answer")
@operation("Answer a request for information",
           {200: ("Answered; back with the case worker", schemas.ApplicationSchema),
            **WRITE, **STATE_ERRORS}, request=schemas.AnswerSchema, tags=TAGS, security=True)
@limit_address(APPLICATION_LIMIT, scope="application")
def answer_information_request(tenant: str, application_id: str):
    """Changed fields and a message; the application is submitted again."""
    with _as_applicant(tenant, _body(schemas.AnswerSchema)) as call:
        return jsonify(call.rpc.permits.answer_information_request(
            call.tenant, call.who, application_id, call.body["data"], call.body["message"]))


def attachment_response(stored: dict[str, Any]) -> Response:
    """A stored document as a download that browsers neither sniff nor render."""
    response = Response(base64.b64decode(stored["content_base64"]),
                        mimetype=stored["content_type"])
    response.headers.set("Content-Disposition", "attachment", filename=stored["filename"])
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _upload() -> tuple[str, str, str]:
    """(document_id, filename, base64 content) from the multipart form; 413 if too large."""
    try:
        form, files = request.form, request.files
    except RequestEntityTooLarge:
        raise _too_large() from None
    sent = {"document_id": form.get("document_id"), "file": files.get("file")}
    body = load(schemas.UploadSchema(), {key: value for key, value in sent.items()
                                         if value is not None})
    upload = body["file"]
    if not getattr(upload, "filename", ""):
        raise ValidationFailed("Send the file to attach.",
                               invalid_params=[{"name": "file", "reason": "Missing file."}])
    try:
        content = upload.read()
    except RequestEntityTooLarge:
        raise _too_large() from None
    return body["document_id"], upload.filename, base64.b64encode(content).decode("ascii")


def _too_large() -> RequestTooLarge:
    return RequestTooLarge("The upload is larger than this server accepts.")
