# SPDX-License-Identifier: EUPL-1.2
"""The keys the rate-limit store counts under: keyed pseudonyms, never an address.

Every key a limit uses (the client address, or whatever a person's or network's key
function returns) passes :func:`pseudonym`: HMAC-SHA256 with a key derived from
``LOKET_GATEWAY_SECRET`` by HKDF under :data:`KEY_LABEL`, so the store holds no address,
and one cannot be found again by hashing guessed ones without the secret. A new secret
(``make run`` makes one per run) starts every count afresh, which is harmless.
"""
from __future__ import annotations

import hashlib
import hmac

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import Flask, current_app, request

# The HKDF label: the key is of no use for anything else the secret signs.
KEY_LABEL = b"loket-gateway/rate-limit-keys/v1"
EXTENSION = "loket_rate_limit_key"


def derive_key(secret: str) -> bytes:
    """The HMAC key of the rate-limit pseudonyms, derived from the gateway secret."""
    if not secret:
        raise ValueError("the rate-limit keys need the gateway secret")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=KEY_LABEL).derive(secret.encode())


def init_keys(app: Flask, secret: str) -> None:
    """Give ``app`` the key its rate-limit pseudonyms are made with."""
    app.extensions[EXTENSION] = derive_key(secret)


def pseudonym(value: str) -> str:
    """32 hex characters of HMAC-SHA256 over ``value``, under the app's rate-limit key."""
    key = current_app.extensions[EXTENSION]
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:32]


def address_key() -> str:
    """The count key of the client's address (``remote_addr``, after ``ProxyFix``)."""
    return "address:" + pseudonym(request.remote_addr or "unknown")
