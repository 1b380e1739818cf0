# SPDX-License-Identifier: EUPL-1.2
"""Access tokens (JWT) of the JSON API, checked against the issuing provider's keys.

A token counts only when its signature verifies with the provider's JWKS (RS256/ES256),
its ``iss`` is the provider's issuer, its ``aud`` holds the provider's client id and it has
not expired. Keys are fetched through the provider's discovery document and cached; an
unknown key id fetches them again (key rotation), at most once a minute per issuer.
"""
from __future__ import annotations

import base64
import threading
import time
from typing import Any

import requests
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, KeySetSerialization

from ..core.json_input import strict_loads
from .providers import IdentityProvider

ALGORITHMS = ["RS256", "ES256"]
LEEWAY_SECONDS = 30
FETCH_TIMEOUT_SECONDS = 5


class InvalidToken(Exception):
    """The token does not hold for this provider."""


class KeyCache:
    """Each issuer's signing keys, kept ``ttl`` seconds."""

    def __init__(self, ttl: float = 600, min_refetch: float = 60) -> None:
        self.ttl, self.min_refetch = ttl, min_refetch
        self._keys: dict[str, tuple[KeySet, float]] = {}
        self._lock = threading.Lock()

    def put(self, issuer: str, jwks: KeySetSerialization, fetched_at: float | None = None) -> None:
        """Keep ``jwks`` as ``issuer``'s keys (also how tests give keys without a provider)."""
        with self._lock:
            self._keys[issuer] = (KeySet.import_key_set(jwks),
                                  time.monotonic() if fetched_at is None else fetched_at)

    def keys(self, issuer: str, refresh: bool = False) -> KeySet:
        """``issuer``'s keys, fetched when missing, stale, or (``refresh``) not too recent."""
        with self._lock:
            cached = self._keys.get(issuer)
        age = time.monotonic() - cached[1] if cached else None
        if cached and age is not None and age < (self.min_refetch if refresh else self.ttl):
            return cached[0]
        try:
            self.put(issuer, fetch_jwks(issuer))
        except (requests.RequestException, ValueError, KeyError) as error:
            if cached:
                return cached[0]
            raise InvalidToken(f"keys of {issuer} unavailable: {error}") from error
        return self._keys[issuer][0]


def fetch_jwks(issuer: str) -> KeySetSerialization:
    """The JWKS named by ``issuer``'s discovery document."""
    discovery = requests.get(issuer + "/.well-known/openid-configuration",
                             timeout=FETCH_TIMEOUT_SECONDS)
    discovery.raise_for_status()
    jwks = requests.get(discovery.json()["jwks_uri"], timeout=FETCH_TIMEOUT_SECONDS)
    jwks.raise_for_status()
    return jwks.json()


def unverified_issuer(token: str) -> str | None:
    """The ``iss`` a token claims, before any check (to pick the provider that can check it)."""
    try:
        payload = token.split(".")[1]
        claims = strict_loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):  # MalformedJson (too deep, a lone surrogate) too
        return None
    issuer = claims.get("iss") if isinstance(claims, dict) else None
    return issuer if isinstance(issuer, str) else None


def validate(token: str, provider: IdentityProvider, cache: KeyCache) -> dict[str, Any]:
    """The claims of ``token`` if ``provider`` issued it for its client; else InvalidToken."""
    try:
        decoded = _decode(token, cache.keys(provider.issuer))
    except JoseError:
        try:  # perhaps a rotated key
            decoded = _decode(token, cache.keys(provider.issuer, refresh=True))
        except (JoseError, ValueError) as error:
            raise InvalidToken(str(error)) from error
    except ValueError as error:
        raise InvalidToken(str(error)) from error
    registry = jwt.JWTClaimsRegistry(
        leeway=LEEWAY_SECONDS, iss={"essential": True, "value": provider.issuer},
        aud={"essential": True, "value": provider.client_id},
        exp={"essential": True}, sub={"essential": True})
    try:
        registry.validate(decoded.claims)
    except JoseError as error:
        raise InvalidToken(str(error)) from error
    return decoded.claims


def _decode(token: str, keys: KeySet):
    return jwt.decode(token, keys, algorithms=ALGORITHMS)
