"""Request ids: taken from a valid X-Request-ID or made, echoed, logged, sent along every RPC."""
import json
import logging
import re

import pytest
import structlog
from nameko.messaging import HeaderEncoder
from nameko.standalone.rpc import ClusterRpcProxy

from loket_common.logs import json_formatter
from loket_gateway.core.request_ids import request_id_from
from loket_gateway.core.rpc import RpcPool

NEW_ID = re.compile(r"[0-9a-f]{32}")


class JsonLines(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.setFormatter(json_formatter())
        self.text: list[str] = []

    def emit(self, record):
        self.text.append(self.format(record))

    @property
    def lines(self):
        return [json.loads(text) for text in self.text]

    def requests(self):
        return [line for line in self.lines if line["event"] == "request"]


@pytest.fixture
def logged():
    handler = JsonLines()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield handler
    root.removeHandler(handler)
    root.setLevel(level)


def test_a_valid_incoming_id_is_echoed_and_logged(client, logged):
    response = client.get("/livez", headers={"X-Request-ID": "client-trace.0001"})
    assert response.headers["X-Request-ID"] == "client-trace.0001"
    line, = logged.requests()
    assert line["request_id"] == "client-trace.0001"
    assert (line["method"], line["route"], line["endpoint"], line["status"]) == (
        "GET", "/livez", "liveness.livez", response.status_code)
    assert isinstance(line["duration_ms"], float)


@pytest.mark.parametrize("header", ["short", "x" * 65, "has spaces in it", "evil\"quote12",
                                    "ümlaut-1234"])
def test_an_invalid_incoming_id_is_replaced(client, logged, header):
    response = client.get("/livez", headers={"X-Request-ID": header})
    echoed = response.headers["X-Request-ID"]
    assert NEW_ID.fullmatch(echoed)
    assert logged.requests()[0]["request_id"] == echoed
    assert header not in "".join(logged.text)


def test_a_missing_id_is_made_new_for_each_request(client, logged):
    first = client.get("/livez").headers["X-Request-ID"]
    second = client.get("/livez").headers["X-Request-ID"]
    assert NEW_ID.fullmatch(first) and NEW_ID.fullmatch(second) and first != second
    assert [line["request_id"] for line in logged.requests()] == [first, second]


def test_the_request_line_names_the_route_template_never_the_path_or_query(client, logged):
    response = client.get("/api/v1/tenants/musterstadt/lottery-entries/REF-7Q2X"
                          "?token=SeCrEt-status-token",
                          headers={"X-Request-ID": "trace-broker-down"})
    assert response.status_code == 503  # no broker in these tests
    assert response.headers["X-Request-ID"] == "trace-broker-down"
    line, = logged.requests()
    assert line["route"] == "/api/v1/tenants/<tenant>/lottery-entries/<reference>"
    assert (line["tenant"], line["status"], line["level"]) == ("musterstadt", 503, "error")
    everything = "".join(logged.text)
    assert "SeCrEt" not in everything and "REF-7Q2X" not in everything
    down, = [entry for entry in logged.lines if entry["event"] == "broker unreachable"]
    assert down["request_id"] == "trace-broker-down"


def test_an_unknown_path_is_logged_without_a_route(client, logged):
    response = client.get("/no/such/page", headers={"X-Request-ID": "trace-not-found"})
    assert response.status_code == 404
    assert response.headers["X-Request-ID"] == "trace-not-found"
    line, = logged.requests()
    assert (line["route"], line["status"]) == (None, 404)


def test_the_context_is_cleared_after_each_request(client):
    client.get("/livez", headers={"X-Request-ID": "trace-cleared-after"})
    assert structlog.contextvars.get_contextvars() == {}


def test_request_id_from():
    assert request_id_from("abc.DEF_123-x") == "abc.DEF_123-x"
    assert NEW_ID.fullmatch(request_id_from(None))
    assert NEW_ID.fullmatch(request_id_from("bad id!"))


def lent_headers(pool, proxy):
    """The AMQP headers an RPC made with the proxy ``pool`` lends would carry."""
    pool.idle.put((proxy, proxy._proxy))
    with pool.services():
        return HeaderEncoder().get_message_headers(proxy._worker_ctx)


def test_each_lent_proxy_carries_the_current_request_id_in_its_context_data(app):
    pool = RpcPool("amqp://guest:guest@127.0.0.1:1/", {}, 1, 1)
    proxy = ClusterRpcProxy(pool.config, timeout=1)  # never started: no broker needed
    with app.test_request_context("/", headers={"X-Request-ID": "trace-first-req"}):
        app.preprocess_request()
        assert lent_headers(pool, proxy)["nameko.request_id"] == "trace-first-req"
    with app.test_request_context("/", headers={"X-Request-ID": "trace-second-req"}):
        app.preprocess_request()
        assert lent_headers(pool, proxy)["nameko.request_id"] == "trace-second-req"
    structlog.contextvars.clear_contextvars()
    assert "nameko.request_id" not in lent_headers(pool, proxy)  # reused, nothing stale
