# SPDX-License-Identifier: EUPL-1.2
"""Domain errors shared by all services.

Each error class declares its HTTP ``status``, a stable machine-readable ``code`` and a
``title``. Nameko serialises a raised exception as ``RemoteError(exc_type, message)``; the
message is JSON that carries ``code``, ``status`` and ``title`` beside ``detail``, so the
gateway maps a remote error by the code it carries (it never needs the service's classes).
"""
from __future__ import annotations

import json
from typing import Any, ClassVar


class LoketError(Exception):
    """Base of all expected errors; every concrete kind declares its own ``code``.

    The base's code (``loket_error``) means "undeclared": the gateway treats it as an
    error it does not know.
    """

    status: ClassVar[int] = 500
    code: ClassVar[str] = "loket_error"
    title: ClassVar[str] = "Error"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(json.dumps({"detail": detail, **extra, "code": self.code,
                                     "status": self.status, "title": self.title}, default=str))
        self.detail = detail
        self.extra = extra


class NotFound(LoketError):
    """The addressed resource does not exist (in this tenant)."""

    status, code, title = 404, "not_found", "Not found"


class ValidationFailed(LoketError):
    """Input failed schema validation; ``extra['invalid_params']`` names the fields."""

    status, code, title = 400, "validation_failed", "Invalid request"


class Conflict(LoketError):
    """The request conflicts with the current state (e.g. already exists)."""

    status, code, title = 409, "conflict", "Conflict"


class UnknownTenant(LoketError):
    """The tenant named by the request is not served here."""

    status, code, title = 404, "unknown_tenant", "Unknown municipality"


def invalid_params(messages: dict[str, Any] | list[Any]) -> list[dict[str, str]]:
    """Flatten marshmallow error messages into problem+json ``invalid_params``.

    A list (errors of the whole input, not of a field) is named ``_``.
    """
    if isinstance(messages, list):
        messages = {"_": messages}
    params: list[dict[str, str]] = []
    for name, reasons in messages.items():
        if isinstance(reasons, dict):
            for inner in invalid_params(reasons):
                params.append({"name": f"{name}.{inner['name']}", "reason": inner["reason"]})
        else:
            reason_list = reasons if isinstance(reasons, list) else [reasons]
            params.append({"name": str(name), "reason": "; ".join(map(str, reason_list))})
    return params


def parse_remote_message(value: str) -> dict[str, Any]:
    """Read the JSON payload a :class:`LoketError` carried over RPC."""
    try:
        payload = json.loads(value)
    except (TypeError, ValueError):
        return {"detail": str(value)}
    return payload if isinstance(payload, dict) else {"detail": str(value)}
