# SPDX-License-Identifier: EUPL-1.2
"""Who applies: the resident opened by the profile service's interim bearer token.

Nothing is cached: every request asks the profile service, so a revoked token stops
working at once. Login through OpenID Connect replaces this (see docs/architecture.md).
"""
from __future__ import annotations

from typing import Any

from .api import _bearer_token


def applicant_token() -> str:
    """The profile token from ``Authorization: Bearer`` (401 problem before any RPC)."""
    return _bearer_token()


def current_applicant(rpc: Any, tenant: str, token: str) -> dict[str, str]:
    """The applicant as the permits service names it: the profile's subject and name."""
    profile = rpc.profile.get_own_profile(tenant, token)
    name = " ".join(part for part in (profile.get("given_name"), profile.get("family_name"))
                    if part)
    return {"subject": profile["subject"], "name": name}
