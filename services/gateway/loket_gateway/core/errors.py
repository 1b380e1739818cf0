# SPDX-License-Identifier: EUPL-1.2
"""The gateway's own errors: each class declares its status, stable code and title.

Raise them (or the shared kinds of :mod:`loket_common.errors`) anywhere in a request;
:func:`loket_gateway.problems.from_exception` renders every one as problem+json, and the
pages show the message :mod:`loket_gateway.error_messages` holds for its code.
"""
from __future__ import annotations

from loket_common.errors import LoketError, UnknownTenant, ValidationFailed

__all__ = ["Forbidden", "MalformedJson", "MalformedRequest", "NoErasureRequest", "NoFreeSlot",
           "NotAuthenticated", "PreconditionRequired", "RequestHeadersTooLarge",
           "RequestLineTooLong", "RequestTooLarge", "SessionStoreUnavailable",
           "TrustLevelTooLow", "UnknownHost", "UnknownTenant", "UnusableIfMatch",
           "ValidationFailed"]


class NotAuthenticated(LoketError):
    """No credential, or one that is not valid here (expired, not issued for this tenant)."""

    status, code, title = 401, "not_authenticated", "Authentication required"


class Forbidden(LoketError):
    """A valid sign-in whose tenant, kind or role does not allow this."""

    status, code, title = 403, "forbidden", "Not allowed"


class TrustLevelTooLow(LoketError):
    """The sign-in's trust level is below the one needed; ``required_level`` names it."""

    status, code, title = 403, "trust_level_too_low", "Higher trust level needed"


class NoFreeSlot(LoketError):
    """No slot is free in the released period."""

    status, code, title = 404, "no_free_slot", "No free slot"


class NoErasureRequest(LoketError):
    """The resident has not asked to erase their data."""

    status, code, title = 404, "no_erasure_request", "No erasure request"


class UnusableIfMatch(LoketError):
    """``If-Match`` names no version this API sends: like a stale one, it cannot match."""

    status, code, title = 412, "version_conflict", "Changed meanwhile"


class PreconditionRequired(LoketError):
    """A change of a versioned entry needs ``If-Match``, so no change is lost."""

    status, code, title = 428, "precondition_required", "If-Match required"


class RequestTooLarge(LoketError):
    """The upload is larger than this server accepts."""

    status, code, title = 413, "request_too_large", "Upload too large"


class MalformedJson(ValidationFailed, ValueError):
    """JSON nested too deep or with a lone surrogate (:mod:`.json_input`).

    Also a ``ValueError``, so code that treats unreadable JSON as absent (Flask's
    ``get_json(silent=True)``, a token's claims) treats this the same way.
    """

    status, code, title = 400, "malformed_json", "Malformed JSON"


# Refused by gunicorn before the app runs; answered by ``gunicorn_worker.ProblemWorker``.
class MalformedRequest(LoketError):
    """gunicorn could not read the request line or a header."""

    status, code, title = 400, "malformed_request", "Malformed request"


class RequestLineTooLong(LoketError):
    """The request line is longer than gunicorn's ``limit_request_line``."""

    status, code, title = 414, "request_line_too_long", "Request line too long"


class RequestHeadersTooLarge(LoketError):
    """A header beyond ``limit_request_field_size``, or more than ``limit_request_fields``."""

    status, code, title = 431, "request_headers_too_large", "Request headers too large"


class UnknownHost(LoketError):
    """The request's host name is none of the configured tenants' (``core/hosts.py``)."""

    status, code, title = 400, "unknown_host", "Unknown host"


class SessionStoreUnavailable(LoketError):
    """The gateway's session database does not answer: nobody's sign-in can be checked."""

    status, code, title = 503, "service_unavailable", "Service unavailable"
