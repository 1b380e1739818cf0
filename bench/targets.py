# SPDX-License-Identifier: EUPL-1.2
"""What the benchmark calls: each a factory giving one client (one per load thread)."""
from __future__ import annotations

import http.client
import threading
import uuid
from collections.abc import Callable
from urllib.parse import urlparse

from kombu import Connection, Consumer, Exchange, Producer, Queue
from nameko.standalone.rpc import ClusterRpcProxy

Call = Callable[[], bool]


def http_get(base_url: str, path: str) -> Callable[[], Call]:
    """GET ``path`` over one keep-alive connection per client."""
    address = urlparse(base_url)

    def make() -> Call:
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)

        def call() -> bool:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            return response.status == 200
        return call
    return make


def nameko_health(amqp_uri: str) -> Callable[[], Call]:
    """The appointments service's ``health`` RPC through a standalone proxy per client."""
    def make() -> Call:
        proxy = ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=30).start()
        return lambda: proxy.appointments.health()["service"] == "appointments"
    return make


def amqp_echo(amqp_uri: str) -> Callable[[], Call]:
    """A bare request/reply over RabbitMQ with kombu: the floor under any RPC."""
    queue_name = f"bench-echo-{uuid.uuid4().hex[:8]}"
    requests_queue = Queue(queue_name, Exchange(""), routing_key=queue_name, auto_delete=True)
    ready = threading.Event()

    def responder() -> None:
        with Connection(amqp_uri) as connection:
            producer = Producer(connection)

            def reply(body: object, message: object) -> None:
                producer.publish(body, routing_key=message.properties["reply_to"],
                                 correlation_id=message.properties["correlation_id"])
                message.ack()
            with Consumer(connection, [requests_queue], callbacks=[reply], prefetch_count=50):
                ready.set()
                while True:
                    connection.drain_events()

    threading.Thread(target=responder, daemon=True).start()
    ready.wait(10)

    def make() -> Call:
        connection = Connection(amqp_uri)
        reply_queue = Queue(f"bench-reply-{uuid.uuid4().hex[:8]}", exclusive=True,
                            auto_delete=True)
        replies: list[str] = []
        consumer = Consumer(connection, [reply_queue], no_ack=True,
                            callbacks=[lambda body, message: replies.append(
                                message.properties["correlation_id"])])
        consumer.consume()
        producer = Producer(connection)

        def call() -> bool:
            correlation = uuid.uuid4().hex
            producer.publish({"ping": 1}, routing_key=queue_name, reply_to=reply_queue.name,
                             correlation_id=correlation)
            while correlation not in replies:
                connection.drain_events(timeout=30)
            replies.clear()
            return True
        return call
    return make
