# SPDX-License-Identifier: EUPL-1.2
"""Bookings and lottery entries by a signed-in resident: theirs by subject, prefilled.

Anonymous booking stays: without a session (pages) or an ``Authorization`` header (API)
nothing changes. A sent but invalid token is a 401, never an anonymous booking.
"""
from __future__ import annotations

from typing import Any

from flask import request

from ..core.rpc import services
from .access import Resident, api_resident


def api_resident_if_sent(tenant: str) -> Resident | None:
    """The token's resident when the request sends ``Authorization``, else None."""
    if "Authorization" not in request.headers:
        return None
    return api_resident(tenant)


def with_subject(contact: dict[str, Any], resident: Resident | None) -> dict[str, Any]:
    """``contact`` carrying the resident's subject, so the booking is theirs."""
    return {**contact, "subject": resident.subject} if resident else contact


def with_identity(contact: dict[str, Any], resident: Resident | None) -> dict[str, Any]:
    """``contact`` with the subject, trust level and name of the resident's sign-in.

    A service that requires an identity books under that name (the typed one is ignored).
    """
    if resident is None:
        return contact
    return {**with_subject(contact, resident), "trust_level": resident.trust_level,
            "identity_name": resident.name or None}


def holder_of(resident: Resident | None) -> dict[str, str] | None:
    """The signed-in resident as a ``HolderSchema`` (None when anonymous)."""
    if resident is None:
        return None
    return {"subject": resident.subject, "trust_level": resident.trust_level}


def prefilled_contact(resident: Resident | None) -> dict[str, str]:
    """Name, email and language for the contact form, from the profile (or the sign-in)."""
    if resident is None:
        return {}
    try:
        with services() as rpc:
            profile = rpc.profile.get_profile(resident.tenant, resident.subject)
    except Exception:  # noqa: BLE001 (no profile yet: the sign-in's claims still help)
        profile = {}
    name = " ".join(part for part in (profile.get("given_name"), profile.get("family_name"))
                    if part) or resident.name
    values = {"name": name or "", "email": profile.get("email") or resident.email or ""}
    if profile.get("preferred_language"):
        values["language"] = profile["preferred_language"]
    return values
