"""Fixtures of the gateway's unit tests: the app, tokens, CSRF, sessions, fakes of the services.

The app keeps its page sessions in a database of its own on the test run's SecantusDB
(``mongo_uri``, ``database_name`` of ``loket_common.testing``).

The services are fakes built from the contract's Protocols (``loket_contracts.fakes``): a
route that calls an RPC the service lacks, or with arguments it does not take, fails.
"""
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import session
from flask_wtf.csrf import generate_csrf
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from nameko.exceptions import RemoteError, deserialize, serialize

from loket_common.crypto import new_key
from loket_common.errors import LoketError
from loket_contracts.fakes import FakeServices
from loket_gateway.app import create_app
from loket_gateway.core.settings import Settings
from loket_gateway.identity import sessions
from loket_gateway.identity.bearer_tokens import KeyCache

# tenants.yml's development providers, on an address nobody listens on: these tests give
# the gateway the provider's keys directly (KeyCache.put), so no provider needs to run.
TEST_ISSUER = "http://127.0.0.1:9"
os.environ.setdefault("LOKET_DEV_IDP_URL", TEST_ISSUER)
os.environ.setdefault("LOKET_DEV_IDP_SECRET", "test-client-secret")
os.environ.setdefault("LOKET_RPC_KEYS", new_key())
# tenants.yml's public URLs: Flask's test client asks for http://localhost/.
os.environ.setdefault("LOKET_MUSTERSTADT_PUBLIC_URL", "http://localhost")
os.environ.setdefault("LOKET_BEISPIELSTADT_PUBLIC_URL", "http://beispielstadt.localhost")
SIGNING_KEY = RSAKey.generate_key(2048, parameters={"kid": "test-key"})
EIDAS = "http://eidas.europa.eu/LoA/"


def test_settings(**overrides):
    # A broker address nobody listens on: these tests need no services.
    values = {"amqp_uri": "amqp://guest:guest@127.0.0.1:1/", "rpc_timeout": 1,
              "health_timeout": 0.5, "secret": "gateway-test-secret",
              "environment": "development", "pseudonym_key": "test-pseudonym-key"}
    return Settings(**{**values, **overrides})


@pytest.fixture
def app(mongo_uri, database_name):
    app = create_app(test_settings(mongo_uri=mongo_uri, mongo_database=database_name))
    app.extensions["loket_key_cache"] = cache = KeyCache()
    cache.put(TEST_ISSUER, KeySet([SIGNING_KEY]).as_dict(private=False))
    return app


class FakePool:
    """Stands in for the gateway's ``RpcPool``: every request borrows the same fakes."""

    def __init__(self, fakes: FakeServices | None = None) -> None:
        self.fakes = fakes or FakeServices()

    @contextmanager
    def services(self) -> Iterator[FakeServices]:
        yield self.fakes

    def close(self) -> None:
        """Nothing to stop."""


@pytest.fixture
def services(app) -> FakeServices:
    """The services as the app's routes reach them: ``services.permits.get_case`` etc.

    Set answers (``.return_value``, ``.side_effect``) per test; each is an autospec fake of
    the service's Protocol. ``services.mock_calls == []`` means no RPC was made.
    """
    pool = FakePool()
    app.extensions["loket_rpc"] = pool
    return pool.fakes


def remote(error: LoketError) -> RemoteError:
    """``error`` as the gateway receives it when a service raises it (nameko's own round trip)."""
    received = deserialize(serialize(error))
    assert isinstance(received, RemoteError)
    return received


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def form_token(app, client):
    """A valid CSRF token for ``client``'s session, as its forms carry it (``csrf_field()``)."""
    with app.test_request_context():
        token, secret = generate_csrf(), session["csrf_token"]
    with client.session_transaction() as client_session:
        client_session["csrf_token"] = secret
    return token


def sign_in(client, kind: str, **data) -> dict:
    """Sign ``client`` in as ``kind`` with ``data`` (tenant, subject, ...), as the callback does.

    The CSRF secret of :func:`form_token` stays (a real sign-in makes a new one).
    """
    with client.session_transaction() as stored:
        values = dict(stored)
    with client.application.test_request_context(base_url="http://127.0.0.1"):
        session.update(values)
        record = sessions.start(kind, data)
        kept = {key: values[key] for key in (sessions.CSRF_SESSION_KEY,) if key in values}
        values = {**session, **kept}
    with client.session_transaction() as stored:
        stored.clear()
        stored.update(values)
    return record


def signed_in_as(client, kind: str) -> dict | None:
    """The live sign-in record of ``client``'s session as ``kind`` (None when there is none)."""
    with client.session_transaction() as stored:
        handle = stored.get(kind)
    records = client.application.extensions["loket_signed_in"]
    return records.find_one({"_id": handle}) if handle else None


class Tokens:
    """Access tokens as tenants.yml's development provider would sign them."""

    def make(self, sub="demo-anna", aud="musterstadt-residents", level="substantial",
             expires_in=900, key=SIGNING_KEY, **claims):
        now = int(time.time())
        body = {"iss": TEST_ISSUER, "sub": sub, "aud": aud, "iat": now,
                "exp": now + expires_in, "acr": EIDAS + level, "name": "Anna Schmidt",
                "given_name": "Anna", "family_name": "Schmidt",
                "email": "anna.schmidt@example.org", **claims}
        return jwt.encode({"alg": "RS256", "kid": key.kid}, body, key)

    def resident(self, sub="demo-anna", tenant="musterstadt", **claims):
        return self.make(sub=sub, aud=f"{tenant}-residents", **claims)

    def staff(self, *roles, sub="demo-staff", tenant="musterstadt", **claims):
        return self.make(sub=sub, aud=f"{tenant}-staff", name="Sam Staff",
                         loket_roles=list(roles), **claims)

    def bearer(self, token):
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def tokens():
    return Tokens()
