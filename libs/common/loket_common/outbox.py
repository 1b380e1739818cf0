# SPDX-License-Identifier: EUPL-1.2
"""The transactional outbox and its relay.

A service writes an event into its ``outbox`` collection in the same
transaction as the state change (:func:`add_to_outbox`). The relay, a Nameko
extension running in every service, publishes pending entries with publisher
confirms and marks them published. A crash between publish and mark publishes
again; consumers are idempotent, so that is harmless.

An event written while a request (or an event) is being handled carries its
request id as ``correlation_id`` (:func:`~loket_common.request_context.current_request_id`),
so the domain code never passes the id around.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import eventlet
from eventlet.event import Event as GreenEvent
from kombu import Connection
from nameko.extensions import DependencyProvider
from pymongo import ASCENDING
from pymongo.client_session import ClientSession
from pymongo.database import Database

from .events import Event
from .logs import get_logger
from .mongo import AllTenants, TenantCollection, connect
from .request_context import current_request_id
from .settings import DEFAULT_POLL_SECONDS
from .topology import event_exchange

log = get_logger(__name__)

OUTBOX = "outbox"
CLAIM_SECONDS = 30


def add_to_outbox(database: Database, event: Event, session: ClientSession) -> None:
    """Record ``event`` for publication, inside the caller's transaction.

    Without a ``correlation_id`` of its own the event gets the current request id.
    """
    if event.correlation_id is None:
        event = replace(event, correlation_id=current_request_id())
    TenantCollection(database[OUTBOX], event.tenant).insert_one(
        {
            "_id": event.id,
            "message": event.to_message(),
            "created_at": datetime.now(UTC),
            "published_at": None,
            "claimed_until": datetime.fromtimestamp(0, UTC),
        },
        session=session,
    )


def ensure_outbox_indexes(database: Database) -> None:
    """The relay's query index (pending entries, oldest first)."""
    database[OUTBOX].create_index(
        [("published_at", ASCENDING), ("claimed_until", ASCENDING), ("created_at", ASCENDING)]
    )


class OutboxPublisher:
    """Publishes outbox entries of one database to RabbitMQ with publisher confirms."""

    def __init__(self, database: Database, amqp_uri: str, batch_size: int = 100) -> None:
        self.database = database
        self.amqp_uri = amqp_uri
        self.batch_size = batch_size
        self.connection: Connection | None = None

    def _producer(self):
        if self.connection is None:
            self.connection = Connection(
                self.amqp_uri, transport_options={"confirm_publish": True}
            )
        return self.connection.Producer()

    def close(self) -> None:
        """Close the broker connection (reopened on the next publish)."""
        if self.connection is not None:
            self.connection.release()
            self.connection = None

    def _claim(self) -> list[dict[str, Any]]:
        """Claim a batch of pending entries, so parallel relays rarely publish one twice."""
        now = datetime.now(UTC)
        outbox = AllTenants(self.database[OUTBOX])  # one relay publishes every tenant's events
        pending = list(
            outbox.find(
                {"published_at": None, "claimed_until": {"$lt": now}},
                sort=[("created_at", ASCENDING)],
                limit=self.batch_size,
            )
        )
        claimed = []
        until = now + timedelta(seconds=CLAIM_SECONDS)
        for entry in pending:
            won = outbox.update_one(
                {"_id": entry["_id"], "claimed_until": entry["claimed_until"]},
                {"$set": {"claimed_until": until}},
            )
            if won.modified_count:
                claimed.append(entry)
        return claimed

    def publish_pending(self) -> int:
        """Publish what is pending; return how many entries were confirmed by the broker."""
        entries = self._claim()
        if not entries:
            return 0
        producer = self._producer()
        for entry in entries:
            message = entry["message"]
            exchange = event_exchange(message["source"])
            producer.publish(
                message,
                exchange=exchange,
                routing_key=message["type"],
                declare=[exchange],
                delivery_mode=2,
                serializer="json",
                message_id=message["id"],
                retry=True,
                retry_policy={"max_retries": 3},
            )
            AllTenants(self.database[OUTBOX]).update_one(
                {"_id": entry["_id"]}, {"$set": {"published_at": datetime.now(UTC)}}
            )
            log.info("event published", event_id=message["id"],
                     event_type=f"{message['source']}.{message['type']}",
                     tenant=message.get("tenant"), request_id=message.get("correlation_id"))
        return len(entries)


class OutboxRelay(DependencyProvider):
    """Runs an :class:`OutboxPublisher` loop in the service; workers may ``nudge()`` it."""

    def setup(self) -> None:
        config = self.container.config
        self.interval = float(config.get("OUTBOX_POLL_SECONDS", DEFAULT_POLL_SECONDS))
        self.client = connect(config["MONGO_URI"])
        self.publisher = OutboxPublisher(
            self.client[config["MONGO_DATABASE"]], config["AMQP_URI"]
        )
        self.wakeup = GreenEvent()
        self.running = False

    def start(self) -> None:
        ensure_outbox_indexes(self.publisher.database)
        self.running = True
        self.container.spawn_managed_thread(self._run, identifier="outbox_relay")

    def stop(self) -> None:
        self.running = False
        self.nudge()

    def kill(self) -> None:
        self.stop()

    def nudge(self) -> None:
        """Publish soon instead of at the next poll."""
        if not self.wakeup.ready():
            self.wakeup.send(True)

    def _run(self) -> None:
        while self.running:
            try:
                while self.running and self.publisher.publish_pending():
                    pass
            except Exception:  # the loop must survive broker or database outages
                log.exception("outbox relay failed; retrying", retry_in_s=self.interval)
                self.publisher.close()
            with eventlet.Timeout(self.interval, False):
                self.wakeup.wait()
            self.wakeup = GreenEvent()
        self.publisher.close()
        self.client.close()

    def get_dependency(self, worker_ctx: Any) -> OutboxRelay:
        return self
