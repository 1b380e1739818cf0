# SPDX-License-Identifier: EUPL-1.2
"""Server-side page sessions: Flask-Session on the gateway's own MongoDB; the cookie is an id.

The browser holds a random id (``secrets.token_urlsafe(32)``) and nothing else. What the
session holds (the CSRF secret, a sign-in under way, the handles of :mod:`.sessions`) is
stored in ``page_sessions`` under a SHA-256 of the id, so someone who reads the database
cannot use what they read as a cookie. A TTL index removes expired records and reads refuse
them. While the database cannot be reached, a request that needs it gets
``503 service_unavailable`` with ``Retry-After``, never a 500.
"""
from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask, Request, Response, request
from flask_session.base import ServerSideSession, ServerSideSessionInterface
from flask_session.mongodb import MongoDBSessionInterface
from pymongo import MongoClient
from pymongo.collection import Collection
from pymongo.database import Database
from pymongo.errors import PyMongoError

from loket_common.logs import get_logger

from ..core.csrf import TOKEN_SECONDS
from ..core.errors import SessionStoreUnavailable
from ..core.settings import Settings

log = get_logger(__name__)

COLLECTION = "page_sessions"
ID_BYTES = 32  # 256 random bits in the cookie
# How long a request waits for the database before it answers 503.
SELECTION_TIMEOUT_MS = 2000
UNAVAILABLE = "loket.session_store_unavailable"  # WSGI environ flag of this request


def unavailable(detail: str = "") -> SessionStoreUnavailable:
    """The 503 a request gets while the session database does not answer."""
    return SessionStoreUnavailable(detail or "Signing in is not possible right now. Please "
                                   "try again in a few seconds.")


def store_down() -> bool:
    """Whether this request already found the session database unreachable."""
    return bool(request.environ.get(UNAVAILABLE))


class PageSessionInterface(MongoDBSessionInterface):
    """Flask-Session's MongoDB sessions under a hash of the id; starts with the database down.

    ``MongoDBSessionInterface.__init__`` is not called: it creates its TTL index at once,
    and the gateway must start (and answer 503) while its database is down. The index is
    made on the first write instead.
    """

    def __init__(self, app: Flask, store: Collection) -> None:
        self.client = store.database.client
        self.store = store
        self.use_deprecated_method = False
        self.indexed = False
        ServerSideSessionInterface.__init__(self, app, key_prefix="", use_signer=False,
                                            permanent=False, sid_length=ID_BYTES,
                                            serialization_format="msgpack")

    def _get_store_id(self, sid: str) -> str:
        # The database never holds a usable cookie value.
        return hashlib.sha256(sid.encode()).hexdigest()

    def _retrieve_session_data(self, store_id: str) -> dict | None:
        document = self.store.find_one({"id": store_id,
                                        "expiration": {"$gt": datetime.now(UTC)}})
        return self.serializer.decode(document["val"]) if document else None

    def _upsert_session(self, session_lifetime: timedelta, session: ServerSideSession,
                        store_id: str) -> None:
        if not self.indexed:
            self.store.create_index("id", unique=True)
            self.store.create_index("expiration", expireAfterSeconds=0)
            self.indexed = True
        super()._upsert_session(session_lifetime, session, store_id)

    def open_session(self, app: Flask, request: Request) -> ServerSideSession:
        """The stored session, or an empty one flagged so the request answers 503."""
        try:
            return super().open_session(app, request)
        except PyMongoError as error:
            log.warning("session store unreachable", error_type=type(error).__name__)
            request.environ[UNAVAILABLE] = True
            return self.session_class(sid=self._generate_sid(self.sid_length), permanent=False)

    def save_session(self, app: Flask, session: Any, response: Response) -> None:
        """Store the session (nothing while the database is down: the answer is a 503)."""
        if store_down():
            return
        try:
            super().save_session(app, session, response)
        except PyMongoError as error:
            request.environ[UNAVAILABLE] = True
            log.warning("session store unreachable", error_type=type(error).__name__)
            raise unavailable() from error


def refuse_while_down() -> None:
    """``before_request``: 503 when the session could not be read."""
    if store_down():
        raise unavailable()


def gateway_database(settings: Settings) -> Database:
    """The gateway's own database (connecting lazily: the gateway starts while it is down)."""
    client: MongoClient = MongoClient(settings.mongo_uri, tz_aware=True, connect=False,
                                      serverSelectionTimeoutMS=SELECTION_TIMEOUT_MS)
    return client[settings.mongo_database]


def init_page_sessions(app: Flask, database: Database) -> None:
    """Keep ``app``'s sessions in ``database``; the cookie is a browser-session cookie."""
    settings: Settings = app.extensions["loket_settings"]
    longest = max(settings.resident_max_minutes, settings.staff_max_minutes) * 60
    app.config.update(
        SESSION_PERMANENT=False,  # gone when the browser closes
        SESSION_REFRESH_EACH_REQUEST=False,  # written when it changes, not on every request
        # A record outlives every sign-in it carries and an unused form's CSRF token.
        PERMANENT_SESSION_LIFETIME=timedelta(seconds=max(longest, TOKEN_SECONDS)))
    app.session_interface = PageSessionInterface(app, database[COLLECTION])
    app.before_request(refuse_while_down)
