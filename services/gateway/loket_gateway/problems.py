# SPDX-License-Identifier: EUPL-1.2
"""Errors as ``application/problem+json`` (RFC 9457) with stable codes, from one table."""
from __future__ import annotations

from typing import Any

from flask import Response, json
from nameko.exceptions import MethodNotFound, RemoteError, RpcTimeout, UnknownService
from werkzeug.exceptions import HTTPException

from loket_common.errors import LoketError, parse_remote_message
from loket_common.logs import get_logger

log = get_logger(__name__)

PROBLEM_TYPE_BASE = "https://loket.example/problems/"

# Remote exception class name -> (HTTP status, stable code, title). The one mapping table.
ERROR_TABLE: dict[str, tuple[int, str, str]] = {
    "ValidationFailed": (400, "validation_failed", "Invalid request"),
    "UnknownTenant": (404, "unknown_tenant", "Unknown municipality"),
    "NotFound": (404, "not_found", "Not found"),
    "ProfileNotFound": (404, "profile_not_found", "No profile"),
    "BusinessNotFound": (404, "business_not_found", "No such business"),
    "ErasureInProgress": (409, "erasure_in_progress", "Erasure in progress"),
    "NotAuthenticated": (401, "not_authenticated", "Authentication required"),
    "Conflict": (409, "conflict", "Conflict"),
    "SlotTaken": (409, "slot_taken", "Slot taken"),
    "HoldExpired": (409, "hold_expired", "Hold expired"),
    "BookingLimitReached": (409, "booking_limit_reached", "Booking limit reached"),
    "NotBookable": (409, "not_allowed_in_state", "Not possible in this state"),
    "LotteryNotOpen": (409, "lottery_not_open", "No lottery open"),
    "AlreadyEntered": (409, "lottery_already_entered", "Already entered"),
    "VersionConflict": (412, "version_conflict", "Changed meanwhile"),
    "BookingsAffected": (409, "bookings_affected", "Confirmed bookings would be stranded"),
    "TooManyHolds": (429, "too_many_holds", "Too many holds"),
    "ChallengeReused": (403, "proof_of_work_reused", "Proof of work already used"),
    "ProofOfWorkFailed": (403, "proof_of_work_failed", "Proof of work failed"),
    "TransitionNotAllowed": (409, "transition_not_allowed", "Not possible in this state"),
    "DraftIncomplete": (400, "application_incomplete", "Application incomplete"),
    "AttachmentRejected": (400, "attachment_rejected", "Attachment rejected"),
    "MethodNotFound": (502, "service_method_missing", "Service does not offer this"),
    "UnknownService": (503, "service_unavailable", "Service unavailable"),
}
# What a service's error may tell the client beyond its detail.
PASSED_ON = ("invalid_params", "affected_bookings", "current_version")
UNMAPPED = (500, "internal_error", "Internal error")
TIMEOUT = (504, "service_timeout", "Service did not answer in time")
BROKER_DOWN = (503, "service_unavailable", "Service unavailable")


class Problem(Exception):
    """An error raised by the gateway itself, rendered as problem+json."""

    def __init__(self, status: int, code: str, title: str, detail: str = "",
                 **extra: Any) -> None:
        super().__init__(detail or title)
        self.status, self.code, self.title, self.detail, self.extra = (
            status, code, title, detail, extra)


def problem_response(status: int, code: str, title: str, detail: str = "",
                     **extra: Any) -> Response:
    """A problem+json response."""
    body = {"type": PROBLEM_TYPE_BASE + code, "title": title, "status": status, "code": code}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return Response(json.dumps(body), status=status, mimetype="application/problem+json")


def from_remote(error: RemoteError) -> Response:
    """Map a service's error via :data:`ERROR_TABLE`; unmapped errors reveal nothing."""
    status, code, title = ERROR_TABLE.get(error.exc_type, UNMAPPED)
    if status == 500:
        # Its type only: a remote error's message may echo the request.
        log.error("unmapped remote error", error_type=error.exc_type)
        return problem_response(status, code, title)
    log.info("remote error", error_type=error.exc_type, status=status, code=code)
    payload = parse_remote_message(error.value)
    extra = {key: payload[key] for key in PASSED_ON if key in payload}
    return problem_response(status, code, title, str(payload.get("detail", "")), **extra)


def from_exception(error: Exception) -> Response:
    """Any exception as problem+json: never a traceback, never an HTML error page."""
    if isinstance(error, Problem):
        return problem_response(error.status, error.code, error.title, error.detail,
                                **error.extra)
    if isinstance(error, RemoteError):
        return from_remote(error)
    if isinstance(error, LoketError):  # raised by the gateway's own edge validation
        status, code, title = ERROR_TABLE.get(type(error).__name__, UNMAPPED)
        return problem_response(status, code, title, error.detail, **error.extra)
    if isinstance(error, MethodNotFound):  # nameko rebuilds it locally, not as a RemoteError
        return problem_response(*ERROR_TABLE["MethodNotFound"], detail=str(error))
    if isinstance(error, UnknownService):  # no instance of it is running
        return problem_response(*BROKER_DOWN, detail=str(error))
    if isinstance(error, RpcTimeout):
        log.warning("rpc timeout")
        return problem_response(*TIMEOUT)
    if isinstance(error, HTTPException):
        code = (error.name or "error").lower().replace(" ", "_")
        return problem_response(error.code or 500, code, error.name, error.description or "")
    if isinstance(error, (ConnectionError, OSError)):
        log.warning("broker unreachable", error_type=type(error).__name__)
        return problem_response(*BROKER_DOWN)
    log.exception("unexpected error")
    return problem_response(*UNMAPPED)
