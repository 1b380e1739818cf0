# SPDX-License-Identifier: EUPL-1.2
"""Nameko RPC as Loket sends it: transient messages with sealed payloads.

Nameko 2.14.1 publishes RPC requests and replies with ``delivery_mode`` 2 (persistent), so
RabbitMQ writes them to its message store. Its ``Publisher`` takes a ``delivery_mode``, and
``RpcProxy(service, **options)`` passes options on, but the two paths Loket uses pass none:
the standalone ``ClusterProxy`` builds its ``ServiceProxy`` without options, and
``RpcConsumer.handle_result`` builds its ``Responder`` with none. There is no config key for
it either, so these subclasses are the one place that says 1 (transient):

- :data:`rpc` (the services' entrypoint, instead of ``nameko.rpc.rpc``) replies transient,
  and refuses a request that is not sealed (:mod:`loket_common.rpc_sealing`) or that no key
  opens, answering at once with ``UnsealableMessage`` as plain JSON (it holds no data, and
  the caller may not have the key of a sealed answer), so the caller never waits for a
  timeout.
- :class:`ClusterRpcProxy` (the gateway's, instead of ``nameko.standalone.rpc``'s) sends
  transient requests.
- :class:`TransientRpcProxy` (a service's dependency on another service,
  instead of ``nameko.rpc.RpcProxy``) sends transient requests, with a timeout.

Every entrypoint of a service must be this ``rpc``: two kinds of RPC consumer on one queue
would each get requests for the other's methods.
"""
from __future__ import annotations

from typing import Any

import eventlet
from nameko import rpc as nameko_rpc
from nameko.amqp.publish import Publisher
from nameko.constants import (
    AMQP_SSL_CONFIG_KEY,
    AMQP_URI_CONFIG_KEY,
    DEFAULT_SERIALIZER,
    LOGIN_METHOD_CONFIG_KEY,
    NON_PERSISTENT,
    SERIALIZER_CONFIG_KEY,
)
from nameko.exceptions import ConfigurationError, serialize
from nameko.standalone.rpc import ClusterProxy, StandaloneProxyBase

from .errors import LoketError
from .logs import get_logger
from .rpc_sealing import CONTENT_TYPE, UnsealableMessage, UnsealableReply

log = get_logger(__name__)


class TransientPublisher(Publisher):
    """Nameko's publisher with messages RabbitMQ keeps in memory only."""

    delivery_mode = NON_PERSISTENT


class TransientResponder(nameko_rpc.Responder):
    """Sends an RPC reply transient (sealed like the request: Nameko's own rule)."""

    publisher_cls = TransientPublisher


class SealedRpcConsumer(nameko_rpc.RpcConsumer):
    """Nameko's RPC consumer, replying transient and refusing requests that are not sealed."""

    def setup(self) -> None:
        plain = sorted(entrypoint.method_name for entrypoint in self.container.entrypoints
                       if type(entrypoint) is nameko_rpc.Rpc)
        if plain:
            raise ConfigurationError(f"{self.container.service_name}: {', '.join(plain)} use "
                                     "nameko.rpc.rpc; use loket_common.sealed_rpc.rpc")
        super().setup()

    def handle_message(self, body: Any, message: Any) -> None:
        if isinstance(body, UnsealableReply):
            self._refuse(message, body)
        elif message.content_type != CONTENT_TYPE:
            self._refuse(message, {"result": None, "error": serialize(UnsealableMessage(
                "the request is not sealed: the caller needs LOKET_RPC_KEYS"))})
        else:
            super().handle_message(body, message)

    def handle_result(self, message: Any, result: Any, exc_info: Any) -> tuple[Any, Any]:
        # As nameko.rpc.RpcConsumer.handle_result, with a transient responder.
        config = self.container.config
        responder = TransientResponder(
            config[AMQP_URI_CONFIG_KEY], nameko_rpc.get_rpc_exchange(config),
            config.get(SERIALIZER_CONFIG_KEY, DEFAULT_SERIALIZER), message,
            ssl=config.get(AMQP_SSL_CONFIG_KEY), login_method=config.get(LOGIN_METHOD_CONFIG_KEY))
        result, exc_info = responder.send_response(result, exc_info)
        self.queue_consumer.ack_message(message)
        return result, exc_info

    def _refuse(self, message: Any, reply: dict[str, Any]) -> None:
        """Answer ``reply`` as plain JSON (an error, no data) and drop the request."""
        log.error("rpc refused: not sealed or not opened",
                  routing_key=message.delivery_info.get("routing_key"),
                  content_type=message.content_type)
        reply_to = message.properties.get("reply_to")
        if reply_to:
            config = self.container.config
            TransientPublisher(config[AMQP_URI_CONFIG_KEY], ssl=config.get(AMQP_SSL_CONFIG_KEY),
                               login_method=config.get(LOGIN_METHOD_CONFIG_KEY)).publish(
                dict(reply), serializer="json", exchange=nameko_rpc.get_rpc_exchange(config),
                routing_key=reply_to, correlation_id=message.properties.get("correlation_id"))
        self.queue_consumer.ack_message(message)


class Rpc(nameko_rpc.Rpc):
    """Nameko's RPC entrypoint on :class:`SealedRpcConsumer`."""

    rpc_consumer = SealedRpcConsumer()


rpc = Rpc.decorator


class TransientClusterProxy(ClusterProxy):
    """Nameko's standalone cluster proxy whose service proxies publish transient."""

    def __getattr__(self, name: str) -> Any:
        if name not in self._proxies:
            self._proxies[name] = nameko_rpc.ServiceProxy(
                self._worker_ctx, name, self._reply_listener, delivery_mode=NON_PERSISTENT)
        return self._proxies[name]


class ClusterRpcProxy(StandaloneProxyBase):
    """``nameko.standalone.rpc.ClusterRpcProxy`` with transient requests.

    Give it a config with :func:`loket_common.rpc_sealing.install`'s entries, so its
    requests are sealed and it accepts the services' answers.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._proxy = TransientClusterProxy(self._worker_ctx, self._reply_listener)


class RpcTimeout(LoketError):
    """Another service did not answer an RPC in time (it is down, or the broker is)."""

    status, code, title = 503, "rpc_timeout", "A service did not answer in time"


class TimedServiceProxy:
    """A worker's proxy to one service: each call waits at most ``timeout`` seconds."""

    def __init__(self, proxy: nameko_rpc.ServiceProxy, timeout: float | None) -> None:
        self._proxy = proxy
        self._timeout = timeout

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._proxy, name)
        if not self._timeout:
            return method

        def call(*args: Any, **kwargs: Any) -> Any:
            with eventlet.Timeout(self._timeout, RpcTimeout(
                    f"{self._proxy.service_name}.{name} did not answer within "
                    f"{self._timeout} s")):
                return method(*args, **kwargs)
        return call


class TransientRpcProxy(nameko_rpc.RpcProxy):
    """``nameko.rpc.RpcProxy`` for service-to-service calls: transient, sealed, with a timeout.

    Nameko's own publishes persistent (RabbitMQ writes the request to disk); this one
    publishes with ``delivery_mode`` 1, as :class:`ClusterRpcProxy` does, and is sealed by the
    service's configured serializer (:func:`loket_common.rpc_sealing.install`), as every
    Loket RPC is. Nameko waits for an answer for ever; ``timeout`` (seconds), or the config
    entry ``timeout_key`` names (a service's setting), raises :class:`RpcTimeout` instead, so
    a caller can treat the other service as unavailable.
    """

    def __init__(self, target_service: str, timeout: float | None = None,
                 timeout_key: str | None = None, **options: Any) -> None:
        super().__init__(target_service, delivery_mode=NON_PERSISTENT, **options)
        self.timeout = timeout
        self.timeout_key = timeout_key

    def setup(self) -> None:
        super().setup()
        if self.timeout is None and self.timeout_key:
            configured = self.container.config.get(self.timeout_key)
            self.timeout = float(configured) if configured else None

    def get_dependency(self, worker_ctx: Any) -> Any:
        return TimedServiceProxy(super().get_dependency(worker_ctx), self.timeout)
