# SPDX-License-Identifier: EUPL-1.2
"""Durable RabbitMQ topology of Loket events.

Nameko's own event handlers create their queue only when the handling service
starts, so events published earlier are dropped. Loket declares every exchange
and handler queue (with its retry and dead-letter queues) at deploy time
(``loket-declare-topology``) and again when a service starts.

Names follow Nameko's, so the two stay interchangeable: exchange
``<source>.events`` (topic, routing key = event type), handler queue
``evt-<source>-<type>--<service>.<method>``.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kombu import Connection, Exchange, Queue

DEFAULT_RETRY_DELAYS_MS: tuple[int, ...] = (1000, 10000, 60000)


def event_exchange(source: str) -> Exchange:
    """The durable topic exchange a service publishes its events to."""
    return Exchange(f"{source}.events", type="topic", durable=True, auto_delete=False)


@dataclass(frozen=True)
class Subscription:
    """One handler method of one service listening to one event type."""

    source: str
    event_type: str
    service: str
    method: str

    @property
    def queue_name(self) -> str:
        """Nameko's SERVICE_POOL queue name for this handler."""
        return f"evt-{self.source}-{self.event_type}--{self.service}.{self.method}"

    @property
    def dead_letter_queue_name(self) -> str:
        """Where messages go after the last retry failed."""
        return f"{self.queue_name}.dead"

    def retry_queue_name(self, delay_ms: int) -> str:
        """The waiting room for a retry after ``delay_ms``."""
        return f"{self.queue_name}.retry.{delay_ms}ms"

    def queue(self) -> Queue:
        """The handler's durable queue bound to its event type."""
        return Queue(
            self.queue_name,
            exchange=event_exchange(self.source),
            routing_key=self.event_type,
            durable=True,
            auto_delete=False,
        )

    def retry_queues(self, delays_ms: Sequence[int]) -> list[Queue]:
        """Queues that hold a failed message for a delay, then route it back to the handler."""
        return [
            Queue(
                self.retry_queue_name(delay),
                durable=True,
                auto_delete=False,
                queue_arguments={
                    "x-message-ttl": int(delay),
                    "x-dead-letter-exchange": "",
                    "x-dead-letter-routing-key": self.queue_name,
                },
            )
            for delay in delays_ms
        ]

    def dead_letter_queue(self) -> Queue:
        """The parking queue an operator inspects and replays (``loket-replay-dead``)."""
        return Queue(self.dead_letter_queue_name, durable=True, auto_delete=False)


def declare(
    connection: Connection,
    subscriptions: Iterable[Subscription],
    retry_delays_ms: Sequence[int] = DEFAULT_RETRY_DELAYS_MS,
    sources: Iterable[str] = (),
) -> None:
    """Declare exchanges for ``sources`` and every queue of ``subscriptions`` (idempotent)."""
    channel = connection.default_channel
    for source in sources:
        event_exchange(source)(channel).declare()
    for subscription in subscriptions:
        event_exchange(subscription.source)(channel).declare()
        for queue in (
            subscription.queue(),
            *subscription.retry_queues(retry_delays_ms),
            subscription.dead_letter_queue(),
        ):
            queue(channel).declare()
