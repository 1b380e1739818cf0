# SPDX-License-Identifier: EUPL-1.2
"""RPC payloads sealed end to end: a kombu serializer that JSON-encodes, then encrypts.

RPC requests and replies carry names, addresses and emails, and RabbitMQ may write what it
holds to its disk. The gateway and every service register this serializer with the same
deployment keys (``LOKET_RPC_KEYS``) and make it Nameko's ``serializer``
(:func:`install`), so the broker only ever holds ciphertext. The body is encoded exactly as
Nameko's default ``json`` serializer encodes it (``kombu.utils.json``: dates stay dates),
then sealed with Fernet (AES-128-CBC with HMAC-SHA256); the first key seals, every listed
key opens (rotation in docs/data-protection.md: a new key is added second everywhere,
then made first everywhere, then the old one is dropped). A token older than
:data:`MAX_AGE_SECONDS` is refused, so a copy taken from the broker cannot be replayed later.

A message no key opens decodes to an error reply (:func:`unsealable_reply`) instead of
raising: kombu would raise inside Nameko's consumer thread (the service dies, the message
goes to the next instance) and the caller would wait for its timeout. The caller gets
:class:`UnsealableMessage` (``503 rpc_unsealable``) at once.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import kombu.serialization
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from kombu.utils import json as kombu_json
from nameko.exceptions import serialize

from .errors import LoketError
from .logs import get_logger

RPC_KEYS_VARIABLE = "LOKET_RPC_KEYS"
SERIALIZER = "loket-sealed"
CONTENT_TYPE = "application/x-loket-sealed"
# RPC messages are useful while their caller waits (seconds); older ones are not opened.
MAX_AGE_SECONDS = 300

log = get_logger(__name__)


class UnsealableMessage(LoketError):
    """An RPC message that is not sealed, or that no key of ``LOKET_RPC_KEYS`` opens."""

    status, code, title = 503, "rpc_unsealable", "A service message could not be opened"


class UnsealableReply(dict[str, Any]):
    """What :meth:`RpcSeal.unseal` returns for a message it cannot open: an error reply."""


def unsealable_reply(detail: str) -> UnsealableReply:
    """A Nameko reply body that makes the caller raise :class:`UnsealableMessage`."""
    return UnsealableReply(result=None, error=serialize(UnsealableMessage(detail)))


def valid_key(key: str) -> bool:
    """True for a Fernet key (32 bytes, URL-safe base64), as ``new_key()`` makes them."""
    try:
        Fernet(key)
    except (ValueError, TypeError):
        return False
    return True


class RpcSeal:
    """Seals and opens RPC bodies with a list of keys: the first seals, every one opens."""

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise ValueError(f"{RPC_KEYS_VARIABLE} lists no key")
        self.fernet = MultiFernet([Fernet(key) for key in keys])

    def seal(self, body: Any) -> bytes:
        """``body`` as JSON (as Nameko's json serializer writes it), encrypted."""
        return self.fernet.encrypt(kombu_json.dumps(body).encode("utf-8"))

    def unseal(self, token: bytes | memoryview | str) -> Any:
        """The body ``token`` carries, or an :class:`UnsealableReply` if no key opens it."""
        if isinstance(token, memoryview):
            token = token.tobytes()
        try:
            plain = self.fernet.decrypt(token, ttl=MAX_AGE_SECONDS)
        except InvalidToken:
            # Never the token itself: only that it happened and what to check.
            log.error("rpc message could not be unsealed", variable=RPC_KEYS_VARIABLE)
            return unsealable_reply(f"no key of {RPC_KEYS_VARIABLE} opens this message, or "
                                    f"it is older than {MAX_AGE_SECONDS} s")
        return kombu_json.loads(plain)


def install(keys: Sequence[str]) -> dict[str, Any]:
    """Register the sealing serializer with ``keys``; return the Nameko config that uses it.

    RPC is sealed (``serializer``); ``json`` stays accepted for the outbox's events (they
    carry no personal data) and for the error reply about a message that could not be
    opened. A plain JSON *request* is refused by :mod:`loket_common.sealed_rpc`.
    """
    seal = RpcSeal(keys)
    kombu.serialization.register(SERIALIZER, seal.seal, seal.unseal,
                                 content_type=CONTENT_TYPE, content_encoding="binary")
    return {"serializer": SERIALIZER, "ACCEPT": [SERIALIZER, "json"]}
