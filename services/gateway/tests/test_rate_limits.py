"""Rate limits: the request after the limit gets 429 problem+json with Retry-After."""
import json

import pytest
from flask import Blueprint, Flask, request

from loket_gateway.core.problems import problem_response
from loket_gateway.core.rate_limits import (
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


@pytest.fixture
def app():
    app = Flask(__name__)
    # Like the gateway's catch-all: the 429 handler must still win.
    app.register_error_handler(Exception, lambda error: problem_response(500, "internal_error",
                                                                         "Internal error"))
    init_rate_limits(app, "memory://")  # a fresh storage per app
    app.register_blueprint(views)
    return app


def _get(client, path="/search", address="192.0.2.1", **kwargs):
    return client.get(path, environ_base={"REMOTE_ADDR": address}, **kwargs)


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
        return client.post("/holds", headers={"X-Person": person},
                           environ_base={"REMOTE_ADDR": address}).status_code

    assert [hold("p-1", "192.0.2.1"), hold("p-1", "192.0.2.2")] == [201, 201]
    assert hold("p-1", "192.0.2.3") == 429
    assert hold("p-2", "192.0.2.3") == 201  # someone else, same address: still allowed


def test_the_address_limit_still_counts_beside_the_person_limit(app):
    client = app.test_client()
    statuses = [client.post("/holds", headers={"X-Person": f"p-{n}"},
                            environ_base={"REMOTE_ADDR": "192.0.2.9"}).status_code
                for n in range(4)]
    assert statuses == [201, 201, 201, 429]

