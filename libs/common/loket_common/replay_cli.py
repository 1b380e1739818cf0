# SPDX-License-Identifier: EUPL-1.2
"""``loket-replay-dead QUEUE [--list]``: show or replay a handler's dead-lettered events.

QUEUE is the handler queue (``evt-<source>-<type>--<service>.<method>``); its
dead letters wait in ``QUEUE.dead``. Replaying republishes each to QUEUE with
a fresh attempt count (publisher confirms) and only then removes it.
"""
from __future__ import annotations

import argparse

from kombu import Connection

from .handlers import ATTEMPT_HEADER
from .settings import BrokerSettings


def replay(connection: Connection, queue_name: str, list_only: bool = False) -> int:
    """Replay (or with ``list_only`` print) every message of ``queue_name``.dead; return count."""
    channel = connection.channel()
    producer = connection.Producer(channel=channel)
    count = 0
    seen = []
    while True:
        message = channel.basic_get(f"{queue_name}.dead", no_ack=False)
        if message is None:
            break
        headers = dict(message.headers or {})
        message_id = message.properties.get("message_id") or "-"
        print(f"{message_id} attempts={headers.get(ATTEMPT_HEADER)}"
              f" error={headers.get('x-loket-error', '')}")
        if list_only:
            seen.append(message)
        else:
            headers.pop(ATTEMPT_HEADER, None)
            producer.publish(message.body, exchange="", routing_key=queue_name, headers=headers,
                             delivery_mode=2, content_type=message.content_type,
                             content_encoding=message.content_encoding)
            channel.basic_ack(message.delivery_tag)
        count += 1
    for message in seen:  # listing leaves every message where it was
        channel.basic_reject(message.delivery_tag, requeue=True)
    channel.close()
    return count


def main() -> None:
    """Command line entry."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("queue")
    parser.add_argument("--list", action="store_true", help="only show the dead letters")
    args = parser.parse_args()
    uri = BrokerSettings().amqp_uri
    with Connection(uri, transport_options={"confirm_publish": True}) as connection:
        count = replay(connection, args.queue, args.list)
    print(f"{'listed' if args.list else 'replayed'} {count} message(s)")


if __name__ == "__main__":
    main()
