"""RPC on the wire: transient, sealed both ways, and a clear answer for what is not sealed.

A queue bound to Nameko's RPC exchange with ``#`` gets a copy of every request and reply,
as the broker holds them.
"""
import json
import uuid

import pytest
from kombu import Connection, Exchange, Producer, Queue
from nameko.exceptions import ConfigurationError, RemoteError
from nameko.rpc import rpc as plain_rpc
from nameko.standalone.rpc import ClusterRpcProxy as PlainClusterRpcProxy

from loket_common.crypto import new_key
from loket_common.rpc_sealing import CONTENT_TYPE, RpcSeal
from loket_common.sealed_rpc import ClusterRpcProxy, rpc
from loket_common.testing import wait_for

pytestmark = pytest.mark.integration

PERSON = {"name": "Anna Schmidt", "email": "anna.schmidt@example.org"}


class Echo:
    name = "sealed_echo"

    @rpc
    def echo(self, value):
        return value


@pytest.fixture
def echo(container_factory, service_config):
    container = container_factory(Echo, service_config)
    container.start()
    return container


@pytest.fixture
def wire(service_config):
    """Every message on the RPC exchange, as the broker holds it."""
    with Connection(service_config["AMQP_URI"]) as connection:
        exchange = Exchange("nameko-rpc", type="topic", durable=True)
        queue = Queue(f"wire-{uuid.uuid4().hex}", exchange, routing_key="#",
                      exclusive=True)(connection)
        queue.declare()
        taken = []

        def messages(count: int) -> list:
            wait_for(lambda: (message := queue.get(no_ack=True)) and taken.append(message)
                     or len(taken) >= count)
            return taken
        yield messages


def test_request_and_reply_are_transient_and_hold_only_ciphertext(echo, service_config, wire):
    with ClusterRpcProxy(service_config, timeout=10) as cluster:
        assert cluster.sealed_echo.echo(PERSON) == PERSON
    request, reply = wire(2)
    for message in (request, reply):
        assert message.properties["delivery_mode"] == 1
        assert message.content_type == CONTENT_TYPE
        for plain in (b"Anna", b"Schmidt", b"example.org"):
            assert plain not in message.body
    assert request.delivery_info["routing_key"] == "sealed_echo.echo"


def test_a_plain_json_request_is_refused_at_once_and_its_answer_holds_no_data(echo, wire,
                                                                           service_config):
    with PlainClusterRpcProxy({"AMQP_URI": service_config["AMQP_URI"]}, timeout=10) as plain:
        with pytest.raises(RemoteError) as refused:
            plain.sealed_echo.echo(PERSON)
    assert refused.value.exc_type == "UnsealableMessage"
    assert json.loads(refused.value.value)["code"] == "rpc_unsealable"
    _, answer = wire(2)
    assert answer.content_type == "application/json" and "Anna" not in str(answer.body)


def test_a_request_sealed_with_another_key_is_refused_and_the_service_keeps_serving(
        echo, service_config):
    with Connection(service_config["AMQP_URI"]) as connection:
        replies = Queue(f"replies-{uuid.uuid4().hex}", Exchange("nameko-rpc", type="topic"),
                        routing_key="my-replies", exclusive=True)(connection)
        replies.declare()
        Producer(connection).publish(
            RpcSeal([new_key()]).seal({"args": [PERSON], "kwargs": {}}),
            exchange="nameko-rpc", routing_key="sealed_echo.echo", reply_to="my-replies",
            correlation_id="c-1", content_type=CONTENT_TYPE, content_encoding="binary")
        answer = wait_for(lambda: replies.get(no_ack=True))
    assert answer.properties["correlation_id"] == "c-1"
    assert answer.decode()["error"]["exc_type"] == "UnsealableMessage"
    with ClusterRpcProxy(service_config, timeout=10) as cluster:
        assert cluster.sealed_echo.echo("still here") == "still here"


class Mixed:
    name = "mixed_echo"

    @rpc
    def sealed(self):
        return 1

    @plain_rpc
    def plain(self):
        return 2


def test_a_service_mixing_in_nameko_rpc_does_not_start(container_factory, service_config):
    with pytest.raises(ConfigurationError, match="plain use nameko.rpc.rpc"):
        container_factory(Mixed, service_config).start()
