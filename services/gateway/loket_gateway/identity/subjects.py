# SPDX-License-Identifier: EUPL-1.2
"""Pseudonymous ids: the only resident (and staff) ids other services ever see.

``r-`` + 32 hex characters of HMAC-SHA256 with ``LOKET_PSEUDONYM_KEY`` over
``tenant|issuer|sub``: stable per person and tenant, different in every tenant, and not
linkable to the provider's ``sub`` without the key.
"""
from __future__ import annotations

import hashlib
import hmac

from flask import current_app


def _digest(key: str, tenant: str, issuer: str, sub: str) -> str:
    message = f"{tenant}|{issuer}|{sub}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()[:32]


def resident_subject(key: str, tenant: str, issuer: str, sub: str) -> str:
    """A resident's pseudonymous subject in ``tenant``."""
    return "r-" + _digest(key, tenant, issuer, sub)


def staff_subject(key: str, tenant: str, issuer: str, sub: str) -> str:
    """A staff member's pseudonym for audit trails (``staff:`` + 32 hex characters)."""
    return "staff:" + _digest(key, "staff:" + tenant, issuer, sub)


def pseudonym_key() -> str:
    """The gateway's ``LOKET_PSEUDONYM_KEY`` (checked to be set at start)."""
    return current_app.extensions["loket_settings"].pseudonym_key


def keyed_pseudonym(*parts: str) -> str:
    """32 hex characters of HMAC-SHA256 over ``parts`` (e.g. tenant and email, for rate limits).

    Keyed, so a stored value cannot be reversed by hashing guessed addresses.
    """
    message = "|".join(parts).encode()
    return hmac.new(pseudonym_key().encode(), message, hashlib.sha256).hexdigest()[:32]
