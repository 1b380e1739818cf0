# SPDX-License-Identifier: EUPL-1.2
"""The clients the benchmark drives: one object per load thread (none is thread-safe).

Nameko's standalone proxy runs here in plain threads without eventlet's monkeypatching,
exactly as the gateway's gthread workers use it, so the figures are those the gateway sees.
"""
from __future__ import annotations

import http.client
import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

from kombu import Connection, Consumer, Producer, Queue

from loket_appointments.dependencies import AppointmentsStore
from loket_common.mongo import connect
from loket_common.rpc_sealing import install
from loket_common.sealed_rpc import ClusterRpcProxy

PERSISTENT, TRANSIENT = 2, 1
PAYLOAD = {"args": ["ping"], "kwargs": {}}  # the shape of a Nameko request body


class HttpClient:
    """GET one path over one keep-alive connection."""

    def __init__(self, base_url: str, path: str) -> None:
        address = urlparse(base_url)
        if address.hostname is None:
            raise ValueError(f"no host in {base_url!r}")
        self.path = path
        self.connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
        self.connection.connect()
        self.reconnects = 0

    def call(self) -> bool:
        """One GET; True on 200."""
        try:
            self.connection.request("GET", self.path)
            response = self.connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()  # the next request opens a fresh connection
            raise
        if response.will_close:
            self.reconnects += 1
        return response.status == 200

    def close(self) -> None:
        self.connection.close()


class NamekoClient:
    """One started ``ClusterRpcProxy`` calling ``service.method(*args)``, as the gateway does.

    Transient and sealed with ``rpc_key`` (the system's ``LOKET_RPC_KEYS``).
    """

    def __init__(self, amqp_uri: str, rpc_key: str, service: str, method: str,
                 args: tuple[Any, ...], check: Callable[[Any], bool],
                 timeout: float = 30) -> None:
        self.proxy = ClusterRpcProxy({"AMQP_URI": amqp_uri, **install([rpc_key])},
                                     timeout=timeout)
        self.method = getattr(getattr(self.proxy.start(), service), method)
        self.args = args
        self.check = check

    def call(self) -> bool:
        """One RPC; True when ``check`` accepts the answer."""
        return self.check(self.method(*self.args))

    def close(self) -> None:
        self.proxy.stop()


class OfficesReadClient:
    """The database read behind ``list_offices``, the store's own code, without Nameko."""

    def __init__(self, mongo_uri: str, database: str, tenant: str) -> None:
        self.client = connect(mongo_uri)
        self.store = AppointmentsStore(self.client[database])
        self.tenant = tenant

    def call(self) -> bool:
        """One read of offices and services; True when there are offices."""
        return bool(self.store.offices_with_services(self.tenant))

    def close(self) -> None:
        self.client.close()


class AmqpEchoClient:
    """Request/reply over bare AMQP (kombu on py-amqp, the transport Nameko uses too).

    ``like_nameko`` does the broker work Nameko does per call: persistent messages,
    publisher confirms, acknowledged replies; otherwise transient, unconfirmed, auto-acked.
    """

    def __init__(self, amqp_uri: str, queue_name: str, like_nameko: bool) -> None:
        self.connection = Connection(amqp_uri, transport_options={"confirm_publish": like_nameko})
        self.queue_name = queue_name
        self.delivery_mode = PERSISTENT if like_nameko else TRANSIENT
        self.reply_queue = Queue(f"bench-reply-{uuid.uuid4().hex}", exclusive=True,
                                 auto_delete=True)
        self.consumer = Consumer(self.connection, [self.reply_queue], no_ack=not like_nameko,
                                 callbacks=[self._on_reply], accept=["json"])
        self.consumer.consume()
        self.producer = Producer(self.connection, serializer="json")
        self.like_nameko = like_nameko
        self.last_reply: str | None = None

    def _on_reply(self, body: Any, message: Any) -> None:
        self.last_reply = message.properties.get("correlation_id")
        if self.like_nameko:
            message.ack()

    def call(self) -> bool:
        """Publish one request and wait for the reply with its correlation id."""
        correlation = uuid.uuid4().hex
        self.producer.publish(PAYLOAD, routing_key=self.queue_name,
                              reply_to=self.reply_queue.name, correlation_id=correlation,
                              delivery_mode=self.delivery_mode)
        while self.last_reply != correlation:
            self.connection.drain_events(timeout=30)
        return True

    def close(self) -> None:
        self.connection.release()


def declare_queue(amqp_uri: str, name: str) -> None:
    """Declare the echo request queue, so requests sent before the responder consumes wait."""
    with Connection(amqp_uri) as connection:
        Queue(name, durable=False).bind(connection.default_channel).declare()


def wait_for_consumer(amqp_uri: str, queue_name: str, seconds: float = 60) -> None:
    """Wait until something consumes ``queue_name`` (a responder or service just started)."""
    deadline = time.monotonic() + seconds
    with Connection(amqp_uri) as connection:
        while time.monotonic() < deadline:
            channel = connection.channel()  # a failed passive declare closes its channel
            try:
                if channel.queue_declare(queue=queue_name, passive=True).consumer_count:
                    return
            except Exception:  # not declared yet
                pass
            finally:
                channel.close()
            time.sleep(0.2)
    raise TimeoutError(f"nothing consumes {queue_name} after {seconds:.0f} s")
