# SPDX-License-Identifier: EUPL-1.2
"""Staff authentication (interim): bearer tokens with a role per tenant.

``LOKET_STAFF_TOKENS`` lists ``tenant:role:sha256-of-token`` entries separated by
commas; only hashes are configured. Roles: ``counter_staff``, ``case_worker`` (permit
applications), ``tenant_admin`` (which may do what both do). Login through OpenID Connect replaces
this (see docs/architecture.md).
"""
from __future__ import annotations

import hmac
import os
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import g, request

from loket_common.tokens import token_hash

from .problems import Problem

ROLES = {"counter_staff": {"counter_staff"}, "case_worker": {"case_worker"},
         "tenant_admin": {"counter_staff", "case_worker", "tenant_admin"}}


def configured_tokens() -> list[tuple[str, str, str]]:
    """(tenant, role, token hash) entries from the environment."""
    entries = []
    for entry in os.environ.get("LOKET_STAFF_TOKENS", "").split(","):
        parts = entry.strip().split(":")
        if len(parts) == 3 and parts[1] in ROLES:
            entries.append((parts[0], parts[1], parts[2].lower()))
    return entries


def roles_for(tenant: str, token: str) -> set[str]:
    """The roles ``token`` grants in ``tenant``."""
    digest = token_hash(token)
    granted: set[str] = set()
    for entry_tenant, role, entry_hash in configured_tokens():
        if entry_tenant == tenant and hmac.compare_digest(entry_hash, digest):
            granted |= ROLES[role]
    return granted


def actor(token: str, role: str) -> dict[str, str]:
    """Who acts, for audit records: a pseudonym of the token (never the token) and the role."""
    return {"subject": "token:" + token_hash(token)[:16], "role": role}


def current_actor() -> dict[str, str]:
    """The actor of the request that :func:`require_role` let through."""
    return dict(g.staff)


def require_role(role: str) -> Callable:
    """Let the view run only for staff of the path's tenant with ``role``."""
    def wrap(view: Callable) -> Callable:
        @wraps(view)
        def checked(tenant: str, **kwargs: Any) -> Any:
            scheme, _, token = request.headers.get("Authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise Problem(401, "not_authenticated", "Authentication required",
                              "Send a staff token as 'Authorization: Bearer <token>'.")
            if role not in roles_for(tenant, token.strip()):
                raise Problem(403, "forbidden", "Not allowed",
                              "Your role does not allow this here.")
            g.staff = actor(token.strip(), role)
            return view(tenant, **kwargs)
        return checked
    return wrap
