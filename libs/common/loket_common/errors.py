# SPDX-License-Identifier: EUPL-1.2
"""Domain errors shared by all services.

Each error carries a stable machine-readable ``code``. Nameko serialises a
raised exception as ``RemoteError(exc_type, message)``; the gateway maps
``exc_type`` (the class name) to an HTTP status with one table.
"""
from __future__ import annotations

import json
from typing import Any


class LoketError(Exception):
    """Base of all expected errors; ``code`` is stable and documented."""

    code = "loket_error"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(json.dumps({"detail": detail, **extra}, default=str))
        self.detail = detail
        self.extra = extra


class NotFound(LoketError):
    """The addressed resource does not exist (in this tenant)."""

    code = "not_found"


class ValidationFailed(LoketError):
    """Input failed schema validation; ``extra['invalid_params']`` names the fields."""

    code = "validation_failed"


class Conflict(LoketError):
    """The request conflicts with the current state (e.g. already exists)."""

    code = "conflict"


class UnknownTenant(LoketError):
    """The tenant named by the request is not served here."""

    code = "unknown_tenant"


def invalid_params(messages: dict[str, Any]) -> list[dict[str, str]]:
    """Flatten marshmallow error messages into problem+json ``invalid_params``."""
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
