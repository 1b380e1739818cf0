# SPDX-License-Identifier: EUPL-1.2
"""Errors as ``application/problem+json`` (RFC 9457): status, code and title from the class.

A :class:`~loket_common.errors.LoketError` raised here renders from its class attributes; a
service's error arrives as a ``RemoteError`` whose JSON message carries the same three, so
the gateway maps it by the code it carries. Anything else a service raises is
``502 upstream_error``; nameko's own errors keep the mapping below.
"""
from __future__ import annotations

import re
from typing import Any

from flask import Response, json
from nameko.exceptions import MethodNotFound, RemoteError, RpcTimeout, UnknownService
from werkzeug.exceptions import HTTPException

from loket_common.errors import LoketError, parse_remote_message
from loket_common.logs import get_logger

log = get_logger(__name__)

PROBLEM_TYPE_BASE = "https://loket.example/problems/"
# What a service's error may tell the client beyond its detail.
PASSED_ON = ("invalid_params", "affected_bookings", "current_version", "required_level")
CODE = re.compile(r"[a-z][a-z0-9_]{1,63}")
INTERNAL = (500, "internal_error", "Internal error")
UPSTREAM = (502, "upstream_error", "A service failed")
METHOD_MISSING = (502, "service_method_missing", "Service does not offer this")
TIMEOUT = (504, "service_timeout", "Service did not answer in time")
BROKER_DOWN = (503, "service_unavailable", "Service unavailable")
# A 503 says when to try again: about how long a service takes to restart and reconnect.
RETRY_AFTER_SECONDS = 5


def problem_response(status: int, code: str, title: str, detail: str = "",
                     **extra: Any) -> Response:
    """A problem+json response."""
    body = {"type": PROBLEM_TYPE_BASE + code, "title": title, "status": status, "code": code}
    if detail:
        body["detail"] = detail
    body.update(extra)
    response = Response(json.dumps(body), status=status, mimetype="application/problem+json")
    if status == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def declared(payload: dict[str, Any]) -> tuple[int, str, str] | None:
    """(status, code, title) that a service's error message carries; None if it is not one."""
    status, code, title = payload.get("status"), payload.get("code"), payload.get("title")
    if (type(status) is int and 400 <= status <= 599 and isinstance(code, str)
            and CODE.fullmatch(code) and code != LoketError.code
            and isinstance(title, str) and title):
        return status, code, title
    return None


def remote_code(error: RemoteError) -> str | None:
    """The stable code ``error`` carries (None for an error the gateway does not know)."""
    found = declared(parse_remote_message(error.value))
    return found[1] if found else None


def from_remote(error: RemoteError) -> Response:
    """A service's error by the code it carries; an unknown one is ``502 upstream_error``."""
    payload = parse_remote_message(error.value)
    found = declared(payload)
    if found is None:
        # The type and code only: the message may echo what a person typed.
        code = payload.get("code")
        log.error("unknown upstream error", error_type=error.exc_type,
                  code=code if isinstance(code, str) and CODE.fullmatch(code) else None)
        return problem_response(*UPSTREAM)
    log.info("remote error", error_type=error.exc_type, status=found[0], code=found[1])
    extra = {key: payload[key] for key in PASSED_ON if key in payload}
    return problem_response(*found, str(payload.get("detail", "")), **extra)


def from_exception(error: Exception) -> Response:
    """Any exception as problem+json: never a traceback, never an HTML error page."""
    if isinstance(error, LoketError):  # raised by the gateway itself
        return problem_response(error.status, error.code, error.title, error.detail,
                                **error.extra)
    if isinstance(error, RemoteError):
        return from_remote(error)
    if isinstance(error, MethodNotFound):  # nameko rebuilds it locally, not as a RemoteError
        return problem_response(*METHOD_MISSING, detail=str(error))
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
    return problem_response(*INTERNAL)
