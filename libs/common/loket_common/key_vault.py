# SPDX-License-Identifier: EUPL-1.2
"""Crypto-shredding: personal data encrypted under a key per person, kept in a key vault.

Each person (a resident's ``subject``) or, where a record has no subject (an anonymous
booking, a lottery entry by email, a business), each record has its own data key: a
random Fernet key, created on first use and stored in the service's key vault (collection
``key_vault``) wrapped by the tenant key (:class:`~loket_common.crypto.DataCipher`).
Destroying that key (:meth:`SubjectCipher.destroy`, in the erasure's handler) makes every
value encrypted under it unreadable everywhere at once: the live database, its oplog,
replicas, backups and dead letters, as long as no copy of the vault entry survives (see
docs/data-protection.md).

A value sealed here is ``sk1:<key id>:<Fernet token>``: the key id (random, not the
owner) says which vault entry opens it, so reads need not know whose it is. Values
without that prefix are older ones sealed with the tenant key directly; they still open
(``loket-rotate-data-keys`` moves them under their owner's key).
"""
from __future__ import annotations

import json
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from pymongo import ASCENDING
from pymongo.client_session import ClientSession
from pymongo.collection import Collection
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from .crypto import DataCipher, UndecryptableData, default_cipher
from .mongo import TenantCollection

VAULT = "key_vault"
PREFIX = b"sk1:"
DEFAULT_CACHE_SECONDS = 30.0
CACHE_SIZE = 10_000
CREATE_ATTEMPTS = 5


class ShreddedData(UndecryptableData):
    """The key that sealed this value is gone: its owner was erased (or it is another tenant's)."""


def owner_of(subject: str | None, kind: str, record_id: str) -> str:
    """Whose key seals a record: the resident's ``subject``, else the record itself."""
    return subject if subject else f"{kind}:{record_id}"


def is_person_sealed(token: Any) -> bool:
    """True for a value sealed under a person's key (not the tenant key of older data)."""
    if isinstance(token, str):
        return token.startswith(PREFIX.decode())
    return isinstance(token, (bytes, bytearray)) and bytes(token).startswith(PREFIX)


def _parts(token: bytes | str) -> tuple[str, bytes]:
    """A person-sealed value's key id and Fernet token."""
    raw = token.encode() if isinstance(token, str) else bytes(token)
    key_id, _, body = raw[len(PREFIX):].partition(b":")
    return key_id.decode(errors="replace"), body


@dataclass
class RewrapCount:
    """What re-wrapping a tenant's vault with its current tenant key did."""

    rewrapped: int = 0
    current: int = 0
    changed_meanwhile: int = 0


class KeyCache:
    """Unwrapped keys for a short while (``seconds``), at most ``size`` of them."""

    def __init__(self, seconds: float = DEFAULT_CACHE_SECONDS, size: int = CACHE_SIZE,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds, self.size, self.clock = seconds, size, clock
        self._items: OrderedDict[tuple[str, ...], tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, ...]) -> Any:
        """The cached value, or None when absent or expired."""
        with self._lock:
            found = self._items.get(key)
            if found is None or found[0] < self.clock():
                self._items.pop(key, None)
                return None
            return found[1]

    def put(self, key: tuple[str, ...], value: Any) -> None:
        """Keep ``value`` for ``seconds`` (nothing when caching is off)."""
        if self.seconds <= 0:
            return
        with self._lock:
            self._items[key] = (self.clock() + self.seconds, value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def drop(self, key: tuple[str, ...]) -> None:
        """Forget ``key`` at once."""
        with self._lock:
            self._items.pop(key, None)


class KeyVault:
    """The data keys of persons and records, each wrapped by its tenant's key."""

    def __init__(self, collection: Collection, tenant_keys: DataCipher,
                 cache_seconds: float = DEFAULT_CACHE_SECONDS) -> None:
        self.collection = collection
        self.tenant_keys = tenant_keys
        self.cache = KeyCache(cache_seconds)

    def ensure_indexes(self) -> None:
        """One key per owner (so concurrent first uses agree), and keys by id."""
        self.collection.create_index([("tenant", ASCENDING), ("owner", ASCENDING)], unique=True)
        self.collection.create_index([("tenant", ASCENDING), ("id", ASCENDING)], unique=True)

    def _keys(self, tenant: str) -> TenantCollection:
        return TenantCollection(self.collection, tenant)

    def key_for(self, tenant: str, owner: str) -> tuple[str, Fernet]:
        """The id and key of ``owner``; made on first use (one per owner, whoever races)."""
        cached = self.cache.get(("owner", tenant, owner))
        if cached is not None:
            return cached
        keys = self._keys(tenant)
        for _attempt in range(CREATE_ATTEMPTS):
            document = keys.find_one({"owner": owner})
            if document is None:
                document = self._created(keys, tenant, owner)
            if document is not None:
                found = document["id"], self._unwrap(tenant, document)
                self.cache.put(("owner", tenant, owner), found)
                self.cache.put(("id", tenant, found[0]), found[1])
                return found
        raise RuntimeError(f"no key could be made for an owner in tenant {tenant!r}")

    def _created(self, keys: TenantCollection, tenant: str, owner: str) -> dict | None:
        """A new key for ``owner``, or the one a parallel first use made (create, then read)."""
        key_id = uuid.uuid4().hex
        wrapped = self.tenant_keys.encrypt(tenant, {"id": key_id, "owner": owner,
                                                    "key": Fernet.generate_key().decode()})
        document = {"owner": owner, "id": key_id, "key": wrapped,
                    "created_at": datetime.now(UTC)}
        try:
            keys.insert_one(document)
        except DuplicateKeyError:
            return keys.find_one({"owner": owner})
        return document

    def key_by_id(self, tenant: str, key_id: str) -> Fernet:
        """The key ``key_id`` of ``tenant``; :class:`ShreddedData` when it was destroyed."""
        cached = self.cache.get(("id", tenant, key_id))
        if cached is not None:
            return cached
        document = self._keys(tenant).find_one({"id": key_id})
        if document is None:
            raise ShreddedData(f"the key of this value of tenant {tenant!r} is gone")
        key = self._unwrap(tenant, document)
        self.cache.put(("id", tenant, key_id), key)
        return key

    def preload(self, tenant: str, key_ids: Iterable[str]) -> None:
        """Read the keys ``key_ids`` not cached yet in one query (before opening a list)."""
        missing = sorted({key_id for key_id in key_ids
                          if self.cache.get(("id", tenant, key_id)) is None})
        if missing:
            for document in self._keys(tenant).find({"id": {"$in": missing}}):
                self.cache.put(("id", tenant, document["id"]), self._unwrap(tenant, document))

    def _unwrap(self, tenant: str, document: dict[str, Any]) -> Fernet:
        opened = self.tenant_keys.decrypt(tenant, document["key"])
        if opened.get("id") != document["id"] or opened.get("owner") != document["owner"]:
            raise UndecryptableData(f"a key vault entry of tenant {tenant!r} was swapped")
        return Fernet(opened["key"])

    def destroy(self, tenant: str, owners: Iterable[str],
                session: ClientSession | None = None) -> int:
        """Delete the keys of ``owners``: what they sealed can never be read again.

        Inside ``session`` when the vault shares its client (so it happens with the rest of
        the erasure's transaction); a vault on its own server deletes at once, which is safe
        to repeat when the transaction is retried.
        """
        listed = sorted(set(owners))
        if not listed:
            return 0
        same_client = session is not None and session.client is self.collection.database.client
        keys = self._keys(tenant)
        query = {"owner": {"$in": listed}}
        ids = [document["id"] for document in keys.find(
            query, {"id": 1}, session=session if same_client else None)]
        gone = keys.delete_many(query, session=session if same_client else None).deleted_count
        for owner in listed:
            self.cache.drop(("owner", tenant, owner))
        for key_id in ids:
            self.cache.drop(("id", tenant, key_id))
        return gone

    def rewrap(self, tenant: str) -> RewrapCount:
        """Wrap every key of ``tenant`` with its current tenant key (key rotation)."""
        count = RewrapCount()
        keys = self._keys(tenant)
        for document in keys.find({}, {"_id": 1, "key": 1}):
            if self.tenant_keys.is_current(tenant, document["key"]):
                count.current += 1
                continue
            rotated = self.tenant_keys.rotate(tenant, document["key"])
            if keys.update_one(document, {"$set": {"key": rotated}}).matched_count:
                count.rewrapped += 1
            else:
                count.changed_meanwhile += 1
        return count


class SubjectCipher:
    """Seals personal data under its owner's key; opens it (and older tenant-key values)."""

    def __init__(self, vault: KeyVault) -> None:
        self.vault = vault
        self.tenant_keys = vault.tenant_keys

    @classmethod
    def over(cls, database: Database, tenant_keys: DataCipher | None = None,
             cache_seconds: float = DEFAULT_CACHE_SECONDS) -> SubjectCipher:
        """A cipher whose vault is ``database``'s own ``key_vault`` collection."""
        return cls(KeyVault(database[VAULT], tenant_keys or default_cipher(), cache_seconds))

    def encrypt(self, tenant: str, owner: str, value: Any) -> str:
        """``value`` (anything JSON can hold) sealed under ``owner``'s key."""
        plain = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
        return self.encrypt_bytes(tenant, owner, plain).decode()

    def encrypt_bytes(self, tenant: str, owner: str, data: bytes) -> bytes:
        """Raw bytes (an attachment) sealed under ``owner``'s key."""
        key_id, key = self.vault.key_for(tenant, owner)
        return PREFIX + key_id.encode() + b":" + key.encrypt(data)

    def decrypt(self, tenant: str, token: str) -> Any:
        """The value that :meth:`encrypt` (or the tenant key, for older data) sealed."""
        return json.loads(self.decrypt_bytes(tenant, token))

    def decrypt_bytes(self, tenant: str, token: bytes | str) -> bytes:
        """The bytes a token holds; :class:`ShreddedData` once its owner's key is destroyed."""
        if not is_person_sealed(token):
            return self.tenant_keys.decrypt_bytes(tenant, token)
        key_id, body = _parts(token)
        key = self.vault.key_by_id(tenant, key_id)
        try:
            return key.decrypt(body)
        except InvalidToken as error:
            raise UndecryptableData(f"data of tenant {tenant!r} does not decrypt") from error

    def preload(self, tenant: str, tokens: Iterable[Any]) -> None:
        """Fetch the keys of many values at once (a list to open: one query, not one each)."""
        self.vault.preload(tenant, [_parts(token)[0] for token in tokens
                                    if is_person_sealed(token)])

    def reseal(self, tenant: str, owner: str, token: bytes | str) -> bytes | str:
        """An older tenant-key ``token`` sealed under ``owner``'s key (same type as given)."""
        if is_person_sealed(token):
            return token
        sealed = self.encrypt_bytes(tenant, owner, self.tenant_keys.decrypt_bytes(tenant, token))
        return sealed.decode() if isinstance(token, str) else sealed

    def destroy(self, tenant: str, owners: Iterable[str],
                session: ClientSession | None = None) -> int:
        """Shred: destroy the keys of ``owners`` (see :meth:`KeyVault.destroy`)."""
        return self.vault.destroy(tenant, owners, session)

    def blind_index(self, tenant: str, text: str) -> str:
        """The tenant's keyed look-up digest of ``text`` (:meth:`DataCipher.blind_index`)."""
        return self.tenant_keys.blind_index(tenant, text)
