# SPDX-License-Identifier: EUPL-1.2
"""Personal data at rest: authenticated encryption with per-tenant keys, and blind indexes.

Keys come from the environment, never from the database:

- ``LOKET_DATA_KEYS``: ``tenant=KEY[,OLDER_KEY...];other=KEY`` with Fernet keys (32 random
  bytes, URL-safe base64; make one with ``loket-rotate-data-keys --new-key``). The first key
  of a tenant encrypts; every listed key decrypts. ``*=KEY[,...]`` serves every tenant not
  listed by itself with a key derived for that tenant (HKDF-SHA256 over the tenant id), so
  tenants still never share a key. Rotation: put a new key first, run
  ``loket-rotate-data-keys <service>`` (re-encrypts every field with the new key), then drop
  the old key.
- ``LOKET_INDEX_KEY``: the key of :meth:`DataCipher.blind_index` (a keyed HMAC, so an index
  value cannot be reversed by hashing guesses). It is not rotated with the data keys.

Fernet (``cryptography``) is AES-128-CBC with HMAC-SHA256: a token that was altered, or
encrypted for another tenant, does not decrypt (:class:`UndecryptableData`).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

DATA_KEYS_VARIABLE = "LOKET_DATA_KEYS"
INDEX_KEY_VARIABLE = "LOKET_INDEX_KEY"


WILDCARD = "*"


class MissingKey(RuntimeError):
    """No key is configured for a tenant (or no index key at all)."""


class UndecryptableData(ValueError):
    """A token that no configured key of its tenant opens (altered, or another tenant's)."""


def new_key() -> str:
    """A fresh data key, as ``LOKET_DATA_KEYS`` lists it."""
    return Fernet.generate_key().decode()


def derived_key(master: str, tenant: str) -> bytes:
    """The Fernet key of ``tenant`` derived from a ``*`` master key."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"loket-data-key",
                info=tenant.encode())
    return base64.urlsafe_b64encode(hkdf.derive(base64.urlsafe_b64decode(master)))


def parse_data_keys(text: str) -> dict[str, list[str]]:
    """``tenant=KEY1,KEY2;other=KEY3`` → ``{"tenant": ["KEY1", "KEY2"], ...}``."""
    keys: dict[str, list[str]] = {}
    for entry in text.split(";"):
        tenant, _, listed = entry.strip().partition("=")
        if tenant.strip() and listed.strip():
            keys[tenant.strip()] = [key.strip() for key in listed.split(",") if key.strip()]
    return keys


@dataclass(frozen=True)
class DataCipher:
    """Encrypts and decrypts one tenant's personal data; computes blind indexes."""

    keys: Mapping[str, list[str]]
    index_key: bytes
    # Each tenant's MultiFernet, built (and for ``*`` derived) once, not on every call.
    _fernets: dict[str, MultiFernet] = field(default_factory=dict, repr=False, compare=False)
    _current: dict[str, Fernet] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> DataCipher:
        """The cipher configured by ``LOKET_DATA_KEYS`` and ``LOKET_INDEX_KEY``."""
        env = os.environ if env is None else env
        keys = parse_data_keys(env.get(DATA_KEYS_VARIABLE, ""))
        index_key = env.get(INDEX_KEY_VARIABLE, "")
        if not keys or not index_key:
            raise MissingKey(f"{DATA_KEYS_VARIABLE} and {INDEX_KEY_VARIABLE} must be set: personal "
                             "data is stored only encrypted (see docs/data-protection.md).")
        return cls(keys, index_key.encode())

    def _fernet(self, tenant: str) -> MultiFernet:
        if tenant not in self._fernets:
            fernets = self._tenant_fernets(tenant)
            self._fernets[tenant], self._current[tenant] = MultiFernet(fernets), fernets[0]
        return self._fernets[tenant]

    def _tenant_fernets(self, tenant: str) -> list[Fernet]:
        listed = self.keys.get(tenant)
        if listed:
            return [Fernet(key) for key in listed]
        if self.keys.get(WILDCARD):
            return [Fernet(derived_key(key, tenant)) for key in self.keys[WILDCARD]]
        raise MissingKey(f"no data key for tenant {tenant!r} in {DATA_KEYS_VARIABLE}")

    def is_current(self, tenant: str, token: bytes | str) -> bool:
        """True when ``tenant``'s current (first) key opens ``token``: rotation can skip it."""
        raw = token.encode() if isinstance(token, str) else bytes(token)
        self._fernet(tenant)
        try:
            self._current[tenant].decrypt(raw)
        except InvalidToken:
            return False
        return True

    def encrypt(self, tenant: str, value: Any) -> str:
        """``value`` (anything JSON can hold) as a token only ``tenant``'s keys open."""
        plain = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
        return self._fernet(tenant).encrypt(plain).decode()

    def decrypt(self, tenant: str, token: str) -> Any:
        """The value that :meth:`encrypt` turned into ``token``."""
        return json.loads(self.decrypt_bytes(tenant, token.encode()))

    def encrypt_bytes(self, tenant: str, data: bytes) -> bytes:
        """Raw bytes (an attachment) as a token."""
        return self._fernet(tenant).encrypt(data)

    def decrypt_bytes(self, tenant: str, token: bytes | str) -> bytes:
        """The bytes that :meth:`encrypt_bytes` (or :meth:`encrypt`) sealed."""
        raw = token.encode() if isinstance(token, str) else bytes(token)
        try:
            return self._fernet(tenant).decrypt(raw)
        except InvalidToken as error:
            raise UndecryptableData(f"data of tenant {tenant!r} does not decrypt") from error

    def rotate(self, tenant: str, token: bytes | str) -> bytes | str:
        """``token`` re-encrypted with the tenant's current key (same type as given)."""
        raw = token.encode() if isinstance(token, str) else bytes(token)
        try:
            rotated = self._fernet(tenant).rotate(raw)
        except InvalidToken as error:
            raise UndecryptableData(f"data of tenant {tenant!r} does not decrypt") from error
        return rotated.decode() if isinstance(token, str) else rotated

    def blind_index(self, tenant: str, text: str) -> str:
        """A keyed, tenant-bound digest of ``text`` to look records up by (e.g. an email)."""
        message = f"{tenant}\x00{text}".encode()
        return hmac.new(self.index_key, message, hashlib.sha256).hexdigest()



@cache
def default_cipher() -> DataCipher:
    """The process's cipher, from the environment (read once)."""
    return DataCipher.from_env()
