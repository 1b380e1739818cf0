# SPDX-License-Identifier: EUPL-1.2
"""The gateway's own errors: each class declares its status, stable code and title.

Raise them (or the shared kinds of :mod:`loket_common.errors`) anywhere in a request;
:func:`loket_gateway.problems.from_exception` renders every one as problem+json, and the
pages show the message :mod:`loket_gateway.error_messages` holds for its code.
"""
from __future__ import annotations

from loket_common.errors import LoketError, UnknownTenant, ValidationFailed

__all__ = ["Forbidden", "NoErasureRequest", "NoFreeSlot", "NotAuthenticated",
           "PreconditionRequired", "RequestTooLarge", "SessionStoreUnavailable",
           "TrustLevelTooLow", "UnknownTenant", "UnusableIfMatch", "ValidationFailed"]


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


class SessionStoreUnavailable(LoketError):
    """The gateway's session database does not answer: nobody's sign-in can be checked."""

    status, code, title = 503, "service_unavailable", "Service unavailable"
