# SPDX-License-Identifier: EUPL-1.2
"""Service-to-service RPC (``TransientRpcProxy``): transient and sealed on the wire, timed out.

A queue bound to Nameko's RPC exchange with ``#`` gets a copy of every request and reply,
as the broker holds them.
"""

import eventlet.event
import pytest

from loket_common.rpc_sealing import CONTENT_TYPE
from loket_common.sealed_rpc import ClusterRpcProxy, TransientRpcProxy, rpc

from .test_sealed_rpc import wire  # noqa: F401 (a fixture: the RPC exchange's messages)

pytestmark = pytest.mark.integration

RELEASE = eventlet.event.Event()
PERSON = {"name": "Anna Schmidt", "email": "anna.schmidt@example.org"}


class Owner:
    name = "owner_echo"

    @rpc
    def echo(self, value):
        return value

    @rpc
    def slow(self):
        RELEASE.wait()  # until the test has seen the timeout
        return "late"


class Caller:
    name = "caller"

    owner = TransientRpcProxy("owner_echo", timeout=5)
    hurried = TransientRpcProxy("owner_echo", timeout=0.5)
    configured = TransientRpcProxy("owner_echo", timeout_key="CALLER_RPC_TIMEOUT_SECONDS")
    absent = TransientRpcProxy("absent_service", timeout=0.5)

    @rpc
    def ask_owner(self, value):
        return self.owner.echo(value)

    @rpc
    def ask_slow(self):
        return failure(self.hurried.slow)

    @rpc
    def ask_slow_configured(self):
        return failure(self.configured.slow)

    @rpc
    def ask_absent(self):
        return failure(self.absent.echo)


def failure(method):
    """What calling ``method`` raised, as the caller sees it."""
    try:
        method()
    except Exception as error:
        return {"type": type(error).__name__, "code": getattr(error, "code", None)}
    return None


def test_a_service_calls_another_transient_and_sealed(
        container_factory, service_config, wire):  # noqa: F811 (the imported fixture)
    for service in (Owner, Caller):
        container_factory(service, service_config).start()
    with ClusterRpcProxy(service_config, timeout=10) as cluster:
        assert cluster.caller.ask_owner(PERSON) == PERSON
    # the gateway-like call to caller, its call to owner_echo, and both replies
    messages = wire(4)
    inner = [message for message in messages
             if message.delivery_info["routing_key"] == "owner_echo.echo"]
    assert len(inner) == 1
    for message in messages:
        assert message.properties["delivery_mode"] == 1
        assert message.content_type == CONTENT_TYPE
        for plain in (b"Anna", b"Schmidt", b"example.org"):
            assert plain not in message.body


def test_a_service_that_does_not_answer_is_a_timeout(container_factory, service_config):
    config = {**service_config, "CALLER_RPC_TIMEOUT_SECONDS": 0.5}
    for service in (Owner, Caller):
        container_factory(service, config).start()
    try:
        with ClusterRpcProxy(service_config, timeout=10) as cluster:
            assert cluster.caller.ask_slow() == {"type": "RpcTimeout", "code": "rpc_timeout"}
            # the timeout named by a config entry (a service's setting)
            assert cluster.caller.ask_slow_configured() == {"type": "RpcTimeout",
                                                            "code": "rpc_timeout"}
            # a service not running at all: refused at once (no queue to deliver to)
            assert cluster.caller.ask_absent()["type"] == "UnknownService"
    finally:
        RELEASE.send(None)

