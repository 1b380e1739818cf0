# SPDX-License-Identifier: EUPL-1.2
"""The raw AMQP baseline's responder, run as its own process like a service.

``python -m bench.amqp_echo AMQP_URI QUEUE [--like-nameko]``: answers every request on
QUEUE with its body, to its ``reply_to`` and ``correlation_id``. With ``--like-nameko``
replies are persistent and confirmed, as Nameko's are. Stops on SIGINT.
"""
from __future__ import annotations

import argparse
from typing import Any

from kombu import Connection, Consumer, Producer, Queue

from .targets import PERSISTENT, TRANSIENT

PREFETCH = 10  # Nameko's default max_workers, which is also its prefetch count


def serve(amqp_uri: str, queue_name: str, like_nameko: bool) -> None:
    """Echo requests until interrupted."""
    delivery_mode = PERSISTENT if like_nameko else TRANSIENT
    waiting: list[Any] = []
    with Connection(amqp_uri, transport_options={"confirm_publish": like_nameko}) as connection:
        producer = Producer(connection, serializer="json")
        # Replies are sent from this loop, not from the callback: a confirmed publish waits
        # for its ack, and deliveries handled meanwhile must not nest another such wait.
        with Consumer(connection, [Queue(queue_name, durable=False)], accept=["json"],
                      callbacks=[lambda body, message: waiting.append(message)],
                      prefetch_count=PREFETCH):
            while True:
                connection.drain_events()
                while waiting:
                    message = waiting.pop(0)
                    producer.publish({"result": message.payload["args"][0], "error": None},
                                     routing_key=message.properties["reply_to"],
                                     correlation_id=message.properties["correlation_id"],
                                     delivery_mode=delivery_mode)
                    message.ack()  # after replying, as Nameko acks a request


def main() -> None:
    """Parse the command line and serve."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("amqp_uri")
    parser.add_argument("queue")
    parser.add_argument("--like-nameko", action="store_true")
    args = parser.parse_args()
    try:
        serve(args.amqp_uri, args.queue, args.like_nameko)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
