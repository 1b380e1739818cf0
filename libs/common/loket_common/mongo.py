# SPDX-License-Identifier: EUPL-1.2
"""MongoDB access: one client per service container, tenant-scoped collections.

Services see their database only through a store (``dependencies.py`` of each
service) built on :class:`TenantCollection`, which adds the tenant to every
filter and document, so a query without a tenant cannot be written by accident.
"""
from __future__ import annotations

import copy
import random
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from nameko.extensions import DependencyProvider
from pymongo import DeleteMany, DeleteOne, InsertOne, MongoClient, ReplaceOne, UpdateMany, UpdateOne
from pymongo.client_session import ClientSession
from pymongo.collection import Collection
from pymongo.database import Database
from pymongo.errors import PyMongoError

from .crypto import DataCipher, default_cipher

if TYPE_CHECKING:
    from .key_vault import KeyVault, SubjectCipher

T = TypeVar("T")
WRITE_CONFLICT = 112  # two transactions wrote one document: the other one won
RETRY_PAUSE = 0.002  # seconds, doubled with each attempt
RETRY_PAUSE_MAX = 0.2
BULK_OPERATIONS = (InsertOne, UpdateOne, UpdateMany, ReplaceOne, DeleteOne, DeleteMany)
BulkOperation = InsertOne | UpdateOne | UpdateMany | ReplaceOne | DeleteOne | DeleteMany


def connect(uri: str) -> MongoClient:
    """A client for ``uri``; connects lazily so a service starts while the database is down."""
    return MongoClient(uri, tz_aware=True, connect=False, serverSelectionTimeoutMS=5000)


@contextmanager
def transaction(database: Database) -> Iterator[ClientSession]:
    """Run the block in one multi-document transaction (state change plus outbox entry)."""
    with database.client.start_session() as session:
        with session.start_transaction():
            yield session


def is_transient(error: PyMongoError) -> bool:
    """True when a transaction failed only because another one won (run it again)."""
    return bool(getattr(error, "has_error_label", None)
                and error.has_error_label("TransientTransactionError")
                or getattr(error, "code", None) == WRITE_CONFLICT)


def retried_transaction(database: Database, body: Callable[[ClientSession], T],
                        attempts: int = 5,
                        retry_also: Callable[[PyMongoError], bool] = lambda _error: False) -> T:
    """Run ``body(session)`` in a transaction, again when another transaction won.

    At most ``attempts`` runs in all, repeated when it failed with a transient error (a
    write conflict) or one ``retry_also`` accepts. ``body`` must re-check its conditions
    inside the transaction, as each attempt starts afresh. Between attempts it pauses a
    random, growing while (at most ``RETRY_PAUSE_MAX`` s). The last attempt's error
    propagates.
    """
    for attempt in range(1, attempts + 1):
        try:
            with transaction(database) as session:
                return body(session)
        except PyMongoError as error:
            if attempt == attempts or not (is_transient(error) or retry_also(error)):
                raise
        # a random pause, growing, so that the transactions that collided do not again
        time.sleep(random.uniform(0, min(RETRY_PAUSE_MAX, RETRY_PAUSE * 2 ** attempt)))  # noqa: S311
    raise AssertionError("unreachable")  # pragma: no cover


class TenantCollection:
    """A collection seen through one tenant: every read and write is filtered by it."""

    def __init__(self, collection: Collection, tenant: str) -> None:
        self.collection = collection
        self.tenant = tenant

    def _scoped(self, query: Mapping[str, Any] | None) -> dict[str, Any]:
        return {**(query or {}), "tenant": self.tenant}

    def find(self, query: Mapping[str, Any] | None = None, *args: Any, **kwargs: Any):
        """Documents of this tenant matching ``query`` (pymongo's other arguments pass on)."""
        return self.collection.find(self._scoped(query), *args, **kwargs)

    def find_one(self, query: Mapping[str, Any] | None = None, *args: Any,
                 **kwargs: Any) -> dict | None:
        """One document of this tenant, or None."""
        return self.collection.find_one(self._scoped(query), *args, **kwargs)

    def count(self, query: Mapping[str, Any] | None = None, **kwargs: Any) -> int:
        """How many documents of this tenant match."""
        return self.collection.count_documents(self._scoped(query), **kwargs)

    def distinct(self, key: str, query: Mapping[str, Any] | None = None) -> list[Any]:
        """The distinct values of ``key`` among this tenant's documents matching ``query``."""
        return self.collection.distinct(key, self._scoped(query))

    def insert_one(self, document: Mapping[str, Any], **kwargs: Any) -> Any:
        """Insert ``document`` stamped with this tenant."""
        return self.collection.insert_one(self._stamped(document), **kwargs)

    def update_one(self, query: Mapping[str, Any], update: Mapping[str, Any], **kwargs: Any):
        """Update one document of this tenant."""
        return self.collection.update_one(self._scoped(query), update, **kwargs)

    def find_one_and_update(self, query: Mapping[str, Any], update: Mapping[str, Any],
                            **kwargs: Any) -> dict | None:
        """Update one document of this tenant atomically; return it (before, by default)."""
        return self.collection.find_one_and_update(self._scoped(query), update, **kwargs)

    def replace_one(self, query: Mapping[str, Any], document: Mapping[str, Any], **kwargs: Any):
        """Replace one document of this tenant, keeping the tenant stamp."""
        return self.collection.replace_one(self._scoped(query), self._stamped(document), **kwargs)

    def delete_many(self, query: Mapping[str, Any] | None = None, **kwargs: Any):
        """Delete this tenant's documents matching ``query``."""
        return self.collection.delete_many(self._scoped(query), **kwargs)

    count_documents = count

    def aggregate(self, pipeline: list[Mapping[str, Any]], **kwargs: Any):
        """Run ``pipeline`` over this tenant's documents only (a leading ``$match``)."""
        return self.collection.aggregate([{"$match": {"tenant": self.tenant}}, *pipeline],
                                         **kwargs)

    def insert_many(self, documents: Iterable[Mapping[str, Any]], **kwargs: Any) -> Any:
        """Insert ``documents``, each stamped with this tenant."""
        return self.collection.insert_many([self._stamped(document) for document in documents],
                                           **kwargs)

    def update_many(self, query: Mapping[str, Any], update: Mapping[str, Any], **kwargs: Any):
        """Update this tenant's documents matching ``query``."""
        return self.collection.update_many(self._scoped(query), update, **kwargs)

    def delete_one(self, query: Mapping[str, Any], **kwargs: Any):
        """Delete one document of this tenant."""
        return self.collection.delete_one(self._scoped(query), **kwargs)

    def find_one_and_delete(self, query: Mapping[str, Any], **kwargs: Any) -> dict | None:
        """Delete one document of this tenant atomically; return it."""
        return self.collection.find_one_and_delete(self._scoped(query), **kwargs)

    def find_one_and_replace(self, query: Mapping[str, Any], document: Mapping[str, Any],
                             **kwargs: Any) -> dict | None:
        """Replace one document of this tenant atomically, keeping the tenant stamp."""
        return self.collection.find_one_and_replace(self._scoped(query),
                                                    self._stamped(document), **kwargs)

    def bulk_write(self, requests: Iterable[BulkOperation], **kwargs: Any):
        """Run pymongo's write operations, each filter scoped and each new document stamped."""
        return self.collection.bulk_write([self._scoped_operation(op) for op in requests],
                                          **kwargs)

    def _stamped(self, document: Mapping[str, Any]) -> dict[str, Any]:
        return {**document, "tenant": self.tenant}

    def _scoped_operation(self, operation: BulkOperation) -> BulkOperation:
        # pymongo's operations keep their filter and document in ``_filter`` and ``_doc``
        # (no public accessors): a copy with both scoped, so the caller's object is unchanged.
        if not isinstance(operation, BULK_OPERATIONS):
            raise TypeError(f"not a pymongo write operation: {operation!r}")
        scoped = copy.copy(operation)
        if isinstance(scoped, InsertOne | ReplaceOne):
            scoped._doc = self._stamped(scoped._doc)
        if not isinstance(scoped, InsertOne):
            scoped._filter = self._scoped(scoped._filter)
        return scoped


class AllTenants:
    """A collection written across tenants on purpose: the one named way around the guard.

    For writes that span tenants by nature (the outbox relay marking what it sent), so a
    reviewer finds each of them by this name. Everything else writes through
    :class:`TenantCollection`; ``tests/test_tenant_guard.py`` checks that.
    """

    def __init__(self, collection: Collection) -> None:
        self.collection = collection

    def __getattr__(self, name: str) -> Any:
        return getattr(self.collection, name)


class Store:
    """Base of each service's store: holds its database, knows how to check it.

    ``cipher``: the tenant keys (default: from the environment); ``vault``: the service's
    key vault (default: the ``key_vault`` collection of ``database``, keys cached per store).
    """

    def __init__(self, database: Database, cipher: DataCipher | None = None,
                 vault: KeyVault | None = None) -> None:
        self.database = database
        self._tenant_keys = cipher
        self._vault = vault
        self._subject_cipher: SubjectCipher | None = None

    @property
    def cipher(self) -> SubjectCipher:
        """Seals this service's personal data under each person's key (crypto-shredding)."""
        from .key_vault import VAULT, KeyVault, SubjectCipher

        if self._subject_cipher is None:
            vault = self._vault or KeyVault(self.database[VAULT],
                                            self._tenant_keys or default_cipher())
            self._subject_cipher = SubjectCipher(vault)
        return self._subject_cipher

    def ensure_indexes(self) -> None:
        """Create the service's indexes (each starting with ``tenant``)."""

    def ping(self) -> bool:
        """True when the database answers."""
        self.database.client.admin.command("ping")
        return True


class MongoDatabase(DependencyProvider):
    """Gives each worker the service's database wrapped in a store with domain verbs.

    Subclasses set ``store_class``, a :class:`Store` whose ``ensure_indexes()``
    runs once at start.
    """

    store_class: type[Store]

    def setup(self) -> None:
        config = self.container.config
        self.client = connect(config["MONGO_URI"])
        self.database = self.client[config["MONGO_DATABASE"]]
        # The key vault may live on a server of its own (short backups, small oplog).
        vault_uri = config.get("KEY_VAULT_MONGO_URI") or ""
        self.vault_client = connect(vault_uri) if vault_uri else self.client

    def start(self) -> None:
        from .key_vault import DEFAULT_CACHE_SECONDS, VAULT, KeyVault

        # no keys, no start: personal data is stored only encrypted
        cache_seconds = self.container.config.get("KEY_CACHE_SECONDS", DEFAULT_CACHE_SECONDS)
        self.vault = KeyVault(self.vault_client[self.database.name][VAULT], default_cipher(),
                              float(cache_seconds))
        self.vault.ensure_indexes()
        self.get_dependency(None).ensure_indexes()

    def stop(self) -> None:
        self._close()

    def kill(self) -> None:
        self._close()

    def _close(self) -> None:
        if self.vault_client is not self.client:
            self.vault_client.close()
        self.client.close()

    def get_dependency(self, worker_ctx: Any) -> Any:
        return self.store_class(self.database, vault=self.vault)
