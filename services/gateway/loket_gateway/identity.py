# SPDX-License-Identifier: EUPL-1.2
"""INTERIM STUB of helper A's identity module (branch ``identity``), the contract only.

Branch ``my-data`` codes against this until ``identity`` is merged; the merge takes
A's file whole. Nothing here authenticates anyone: every resident call is a 401.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import abort

from .problems import Problem

TRUST_LEVELS = ("low", "substantial", "high")


@dataclass(frozen=True)
class Resident:
    """A signed-in resident of one tenant."""

    tenant: str
    subject: str
    trust_level: str
    name: str
    email: str | None


def api_resident(tenant: str, minimum: str = "low") -> Resident:
    """The resident of the request's bearer JWT (stub: nobody)."""
    raise Problem(401, "not_authenticated", "Authentication required",
                  "Send an access token as 'Authorization: Bearer <token>'.")


def resident_page(view: Callable | None = None, *, minimum: str = "low") -> Callable:
    """Page decorator for signed-in residents (stub: always 403)."""
    def wrap(inner: Callable) -> Callable:
        @wraps(inner)
        def checked(**kwargs: Any) -> Any:
            abort(403)
        return checked
    return wrap(view) if view is not None else wrap


def required_level(tenant: str, action: str) -> str:
    """The minimum trust level ``action`` needs in ``tenant``."""
    return "substantial" if action in ("export", "erasure") else "low"
