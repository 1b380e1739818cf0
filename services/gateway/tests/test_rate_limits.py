"""Rate limits: the request after the limit gets 429 problem+json with a Retry-After that holds."""
import json
import time
import uuid

import pytest
from flask import Blueprint, Flask, request

from loket_common.mongo import connect
from loket_gateway.core.problems import problem_response
from loket_gateway.core.rate_limits import (
    MONGO_DATABASE,
    init_rate_limits,
    limit_address,
    limit_person,
)

# Decorated once at import, like the gateway's own views; each test gets a fresh app.
views = Blueprint("views", __name__)


def _person() -> str:
    return request.headers.get("X-Person", "")


@views.get("/search")
@limit_address("3/minute")
def search():
    return "ok"


@views.post("/holds")
@limit_address("3/minute")
@limit_person(_person, "2/minute")
def hold():
    return "held", 201


@views.get("/free")
def free():
    return "ok"


@views.get("/burst")
@limit_address("2/second;3/3second")
def burst():
    return "ok"


@views.get("/short")
@limit_address("2/2second")
def short():
    return "ok"


def _app(storage_uri: str) -> Flask:
    app = Flask(__name__)
    # Like the gateway's catch-all: the 429 handler must still win.
    app.register_error_handler(Exception, lambda error: problem_response(500, "internal_error",
                                                                         "Internal error"))
    init_rate_limits(app, storage_uri, secret="rate-limit-test-secret")
    app.register_blueprint(views, url_prefix="/api/test")  # the API's: 429 problem+json
    return app


@pytest.fixture
def app():
    return _app("memory://")  # a fresh storage per app


def _get(client, path="/search", address="192.0.2.1", **kwargs):
    return client.get("/api/test" + path, environ_base={"REMOTE_ADDR": address}, **kwargs)


def test_the_request_after_the_limit_is_refused_in_plain_words(app):
    client = app.test_client()
    assert [_get(client).status_code for _ in range(3)] == [200, 200, 200]
    refused = _get(client)
    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    body = json.loads(refused.get_data())
    assert body["code"] == "rate_limited" and body["status"] == 429
    assert body["type"].endswith("/rate_limited")
    seconds = int(refused.headers["Retry-After"])
    assert 1 <= seconds <= 60
    assert body["retry_after"] == seconds
    assert f"try again in {seconds} seconds" in body["detail"]


def test_allowed_responses_carry_no_limit_headers(app):
    # each would cost the shared storage two reads per request
    response = _get(app.test_client())
    assert response.status_code == 200
    assert "X-RateLimit-Remaining" not in response.headers


def test_each_address_has_its_own_count(app):
    client = app.test_client()
    for _ in range(3):
        _get(client, address="192.0.2.1")
    assert _get(client, address="192.0.2.1").status_code == 429
    assert _get(client, address="192.0.2.2").status_code == 200


def test_views_without_a_limit_are_not_limited(app):
    client = app.test_client()
    assert {_get(client, "/free").status_code for _ in range(10)} == {200}


def test_a_person_is_limited_across_addresses(app):
    client = app.test_client()

    def hold(person, address):
        return client.post("/api/test/holds", headers={"X-Person": person},
                           environ_base={"REMOTE_ADDR": address}).status_code

    assert [hold("p-1", "192.0.2.1"), hold("p-1", "192.0.2.2")] == [201, 201]
    assert hold("p-1", "192.0.2.3") == 429
    assert hold("p-2", "192.0.2.3") == 201  # someone else, same address: still allowed


def test_the_address_limit_still_counts_beside_the_person_limit(app):
    client = app.test_client()
    statuses = [client.post("/api/test/holds", headers={"X-Person": f"p-{n}"},
                            environ_base={"REMOTE_ADDR": "192.0.2.9"}).status_code
                for n in range(4)]
    assert statuses == [201, 201, 201, 429]



def _refused_after_burst(client, path, address):
    """Send until refused, then once more (a client that ignores the first 429)."""
    for _ in range(10):
        if _get(client, path, address).status_code == 429:
            break
    refused = _get(client, path, address)
    assert refused.status_code == 429
    return int(refused.headers["Retry-After"])


def test_waiting_retry_after_is_enough_when_a_longer_limit_is_exhausted_too(app):
    # 2/second refuses first, but 3/3second is exhausted as well: the wait told is the
    # longer one, so the request after it goes through (each round, not just the first).
    client = app.test_client()
    for _ in range(2):
        seconds = _refused_after_burst(client, "/burst", "192.0.2.20")
        assert 1 <= seconds <= 3
        time.sleep(seconds)
        assert _get(client, "/burst", address="192.0.2.20").status_code == 200


def test_waiting_retry_after_is_enough_with_counts_in_mongodb(mongo_uri):
    client = _app(mongo_uri).test_client()
    address = f"198.51.100.{uuid.uuid4().int % 250}"
    seconds = _refused_after_burst(client, "/short", address)
    assert 1 <= seconds <= 2
    time.sleep(seconds)
    assert _get(client, "/short", address=address).status_code == 200


def test_the_store_holds_keyed_pseudonyms_never_an_address(mongo_uri):
    client = _app(mongo_uri).test_client()
    address = f"203.0.113.{uuid.uuid4().int % 250}"
    _get(client, "/search", address=address)
    client.post("/api/test/holds", headers={"X-Person": "anna@example.org"},
                environ_base={"REMOTE_ADDR": address})
    database = connect(mongo_uri)[MONGO_DATABASE]
    stored = [str(document) for name in database.list_collection_names()
              for document in database[name].find()]
    assert any("address:" in text for text in stored)
    assert any("person:" in text for text in stored)
    assert not [text for text in stored if address in text or "anna@example.org" in text]


def test_pseudonyms_are_keyed_by_the_secret():
    from loket_gateway.core.rate_limit_keys import derive_key

    assert derive_key("one") != derive_key("two")
    assert len(derive_key("one")) == 32
    with pytest.raises(ValueError):
        derive_key("")
