# SPDX-License-Identifier: EUPL-1.2
"""The permit application API for residents: types, applications, attachments.

Applicants identify with an access token from the tenant's sign-in (``Authorization:
Bearer``, :func:`identity.access.api_resident`). Case workers' routes are in :mod:`.case_api`.
Answers are dumped through the contract's schemas (:mod:`loket_contracts.permits`); the
token is checked before a body is read (:func:`identity.access.as_resident` above
``arguments``; the multipart upload is read in its view).
"""
from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from flask import Response, request, send_file
from werkzeug.exceptions import RequestEntityTooLarge

from loket_common.validation import load
from loket_contracts.permits import applications as contract
from loket_contracts.permits.catalogue import TypeSchema, TypeSummarySchema
from loket_contracts.permits.file_names import clean_file_name

from ..core.api_helpers import api_blueprint
from ..core.errors import RequestTooLarge, TrustLevelTooLow, ValidationFailed
from ..core.rate_limits import APPLICATION_LIMIT, UPLOAD_LIMIT, limit_address
from ..core.rpc import services
from ..identity.access import Resident, as_resident
from ..identity.trust_levels import reaches
from . import schemas

blueprint = api_blueprint("permit_applications", __name__,
                          "Permit types, and residents' applications: drafts, documents, "
                          "submission, withdrawal, answers to questions")

PATH = "/tenants/<tenant>/applications"
RESIDENT = "residentToken"
STATE_ERRORS = {409: "Not possible in this state (transition_not_allowed)"}
# What the service stores and answers downloads with (the types' definitions allow these).
FILE_TYPES = ("application/pdf", "image/jpeg", "image/png")


def file_answer(description: str) -> dict[str, Any]:
    """The ``doc`` of a 200 that is a stored document (one of :data:`FILE_TYPES`)."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {"responses": {"200": {"description": description,
                                  "content": {kind: binary for kind in FILE_TYPES}}}}


class AsApplicant(NamedTuple):
    """What an applicant's request works with."""

    rpc: Any
    tenant: str
    who: dict[str, str]


@contextmanager
def _as_applicant(tenant: str, resident: Resident) -> Iterator[AsApplicant]:
    """A borrowed RPC proxy with the token's applicant (checked by ``as_resident``)."""
    with services() as rpc:
        yield AsApplicant(rpc, tenant, applicant(resident))


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


@blueprint.route("/tenants/<tenant>/permit-types", methods=["GET"],
                 summary="Application types the municipality offers")
@blueprint.response(200, TypeSummarySchema(many=True), description="The permit types")
def list_permit_types(tenant: str) -> Any:
    """Permit types, from permits."""
    with services() as rpc:
        return rpc.permits.list_permit_types(tenant)


@blueprint.route("/tenants/<tenant>/permit-types/<type_id>", methods=["GET"],
                 summary="One application type: its form, documents, fee and workflow")
@blueprint.response(200, TypeSchema, description="The permit type")
def get_permit_type(tenant: str, type_id: str) -> Any:
    """A permit type with every field and why it is needed."""
    with services() as rpc:
        return rpc.permits.get_permit_type(tenant, type_id)


@blueprint.route(PATH, methods=["POST"], summary="Start an application (a draft)",
                 security=RESIDENT, refuses={
                     403: "A staff token, or a trust level too low for this type "
                          "(trust_level_too_low)"})
@blueprint.response(201, contract.ApplicationSchema, description="The draft")
@limit_address(APPLICATION_LIMIT, scope="application")
@as_resident()
@blueprint.arguments(schemas.NewApplicationSchema)
def create_application(body: dict[str, Any], tenant: str, resident: Resident) -> Any:
    """A draft; its data is checked for types only until it is submitted."""
    with _as_applicant(tenant, resident) as call:
        check_trust_level(call.rpc.permits.get_permit_type(call.tenant, body["type_id"]),
                          resident)
        created = call.rpc.permits.create_application(
            call.tenant, call.who, body["type_id"], body["data"], body["on_behalf_of"])
    return created, 201


@blueprint.route(PATH, methods=["GET"], summary="My applications", security=RESIDENT)
@blueprint.response(200, contract.ApplicationSummarySchema(many=True), description="Mine")
@as_resident()
def my_applications(tenant: str, resident: Resident) -> Any:
    """The applicant's own applications."""
    with _as_applicant(tenant, resident) as call:
        return call.rpc.permits.my_applications(call.tenant, call.who["subject"])


@blueprint.route(PATH + "/<application_id>", methods=["GET"],
                 summary="One of my applications", security=RESIDENT)
@blueprint.response(200, contract.ApplicationSchema, description="The application")
@as_resident()
def get_application(tenant: str, resident: Resident, application_id: str) -> Any:
    """Own applications only; others' are 404."""
    with _as_applicant(tenant, resident) as call:
        return call.rpc.permits.get_application(call.tenant, call.who["subject"],
                                                application_id)


@blueprint.route(PATH + "/<application_id>", methods=["PATCH"], security=RESIDENT,
                 summary="Change fields of my draft (or while information is requested)",
                 refuses=STATE_ERRORS)
@blueprint.response(200, contract.ApplicationSchema, description="Changed")
@limit_address(APPLICATION_LIMIT, scope="application")
@as_resident()
@blueprint.arguments(schemas.DraftUpdateSchema)
def update_draft(body: dict[str, Any], tenant: str, resident: Resident,
                 application_id: str) -> Any:
    """Merge the sent fields into the draft."""
    with _as_applicant(tenant, resident) as call:
        return call.rpc.permits.update_draft(call.tenant, call.who, application_id,
                                             body["data"])


@blueprint.route(PATH + "/<application_id>/attachments", methods=["POST"],
                 summary="Attach a document (multipart/form-data: document_id, file)",
                 security=RESIDENT, refuses={
                     400: "A missing field, or the document was rejected "
                          "(attachment_rejected: its type or size)",
                     413: "The upload is larger than this server accepts",
                     **STATE_ERRORS})
@blueprint.response(201, contract.AttachmentSchema, description="Attached")
@blueprint.doc(requestBody={"required": True, "content": {
    "multipart/form-data": {"schema": schemas.UploadFormSchema}}})
@limit_address(UPLOAD_LIMIT, scope="upload")
@limit_address(APPLICATION_LIMIT, scope="application")
@as_resident()
def add_attachment(tenant: str, resident: Resident, application_id: str) -> Any:
    """The content goes to the service as base64; it detects the type."""
    upload = _upload()
    with _as_applicant(tenant, resident) as call:
        added = call.rpc.permits.add_attachment(call.tenant, call.who, application_id,
                                                *upload)
    return added, 201


@blueprint.route(PATH + "/<application_id>/attachments/<attachment_id>", methods=["DELETE"],
                 summary="Remove a document from my draft", security=RESIDENT,
                 refuses=STATE_ERRORS)
@blueprint.response(204, description="Removed")
@limit_address(APPLICATION_LIMIT, scope="application")
@as_resident()
def remove_attachment(tenant: str, resident: Resident, application_id: str,
                      attachment_id: str) -> Any:
    """Only while the application can still be changed."""
    with _as_applicant(tenant, resident) as call:
        call.rpc.permits.remove_attachment(call.tenant, call.who, application_id,
                                           attachment_id)
    return Response(status=204)


@blueprint.route(PATH + "/<application_id>/attachments/<attachment_id>", methods=["GET"],
                 summary="Download a document of my application", security=RESIDENT)
@blueprint.response(200, description="The document, as an attachment")
@blueprint.doc(**file_answer("The document, as an attachment (its detected type)"))
@as_resident()
def download_attachment(tenant: str, resident: Resident, application_id: str,
                        attachment_id: str) -> Any:
    """The stored bytes with the detected content type, never rendered inline."""
    with _as_applicant(tenant, resident) as call:
        stored = call.rpc.permits.get_attachment(call.tenant, application_id, attachment_id,
                                                 applicant=call.who)
    return attachment_response(stored)


@blueprint.route(PATH + "/<application_id>/submission", methods=["POST"],
                 summary="Submit my application", security=RESIDENT, refuses={
                     400: "Incomplete (application_incomplete; `invalid_params` names "
                          "the fields)", **STATE_ERRORS})
@blueprint.response(200, contract.ApplicationSchema,
                    description="Submitted, with fee and due date")
@limit_address(APPLICATION_LIMIT, scope="application")
@as_resident()
def submit_application(tenant: str, resident: Resident, application_id: str) -> Any:
    """Full validation; the fee and due date are fixed now."""
    with _as_applicant(tenant, resident) as call:
        return call.rpc.permits.submit_application(call.tenant, call.who, application_id)


@blueprint.route(PATH + "/<application_id>/withdrawal", methods=["POST"],
                 summary="Withdraw my application", security=RESIDENT,
                 refuses=STATE_ERRORS)
@blueprint.response(200, contract.ApplicationSchema, description="Withdrawn")
@limit_address(APPLICATION_LIMIT, scope="application")
@as_resident()
@blueprint.arguments(schemas.WithdrawalSchema)
def withdraw_application(body: dict[str, Any], tenant: str, resident: Resident,
                         application_id: str) -> Any:
    """Until it is decided."""
    with _as_applicant(tenant, resident) as call:
        return call.rpc.permits.withdraw_application(call.tenant, call.who, application_id,
                                                     body["reason"])


@blueprint.route(PATH + "/<application_id>/answer", methods=["POST"],
                 summary="Answer a request for information", security=RESIDENT,
                 refuses=STATE_ERRORS)
@blueprint.response(200, contract.ApplicationSchema,
                    description="Answered; back with the case worker")
@limit_address(APPLICATION_LIMIT, scope="application")
@as_resident()
@blueprint.arguments(schemas.AnswerSchema)
def answer_information_request(body: dict[str, Any], tenant: str, resident: Resident,
                               application_id: str) -> Any:
    """Changed fields and a message; the application is submitted again."""
    with _as_applicant(tenant, resident) as call:
        return call.rpc.permits.answer_information_request(
            call.tenant, call.who, application_id, body["data"], body["message"])


def attachment_response(stored: dict[str, Any]) -> Response:
    """A stored document as a download that browsers neither sniff, render nor cache.

    The name goes out as RFC 6266 asks (werkzeug's ``send_file``): ``filename*`` in UTF-8
    and an ASCII ``filename`` for old clients; it is cleaned again (names stored before
    uploads were cleaned), and a name with nothing left is "document".
    """
    response = send_file(io.BytesIO(base64.b64decode(stored["content_base64"])),
                         mimetype=stored["content_type"], as_attachment=True,
                         download_name=clean_file_name(stored["filename"]) or "document")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.cache_control.no_store = True
    response.cache_control.private = True
    return response


def _upload() -> tuple[str, str, str]:
    """(document_id, filename, base64 content) from the multipart form; 413 if too large."""
    try:
        form, files = request.form, request.files
    except RequestEntityTooLarge:
        raise _too_large() from None
    sent = {"document_id": form.get("document_id"), "file": files.get("file")}
    body = load(schemas.UploadFormSchema(), {key: value for key, value in sent.items()
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
