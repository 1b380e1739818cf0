# SPDX-License-Identifier: EUPL-1.2
"""Event handlers that do not lose or double facts.

Nameko's ``event_handler`` acks and drops a message whose handler raised.
:class:`ReliableEventHandler` instead sends it to a delayed retry queue, and
after the last delay to the handler's dead-letter queue, publishing with
confirms before it acks the original. :func:`handle_once` makes the handler's
effect idempotent: the event id is recorded in the same transaction.

While a handler runs, its log lines carry the event's ``correlation_id`` (as
``request_id``), ``event_id`` and ``event_type`` (:meth:`ReliableEventHandler.log_context`,
bound by :class:`~loket_common.request_context.RequestContext`), and an event
it writes to the outbox inherits that ``correlation_id``.
"""
from __future__ import annotations

import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from kombu import Connection
from nameko.events import SERVICE_POOL, EventHandler
from pymongo.client_session import ClientSession
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from .events import Event
from .logs import get_logger
from .mongo import TenantCollection, transaction
from .request_context import REQUEST_ID, valid_request_id
from .topology import DEFAULT_RETRY_DELAYS_MS, Subscription, declare

log = get_logger(__name__)

ATTEMPT_HEADER = "x-loket-attempt"
HANDLED_EVENTS = "handled_events"


def retry_delays(config: dict[str, Any]) -> tuple[int, ...]:
    """Retry delays in ms from ``EVENT_RETRY_DELAYS_MS`` (a list or comma-separated string)."""
    value = config.get("EVENT_RETRY_DELAYS_MS") or DEFAULT_RETRY_DELAYS_MS
    if isinstance(value, str):
        value = [part for part in value.split(",") if part.strip()]
    return tuple(int(delay) for delay in value)


class ReliableEventHandler(EventHandler):
    """A SERVICE_POOL event handler with durable queues, retry with back-off and a DLQ."""

    def __init__(self, source_service: str, event_type: str, **kwargs: Any) -> None:
        super().__init__(
            source_service,
            event_type,
            handler_type=SERVICE_POOL,
            reliable_delivery=True,
            requeue_on_error=False,
            **kwargs,
        )

    def setup(self) -> None:
        self.subscription = Subscription(
            self.source_service, self.event_type, self.container.service_name, self.method_name
        )
        self.delays = retry_delays(self.container.config)
        with Connection(self.container.config["AMQP_URI"]) as connection:
            declare(connection, [self.subscription], self.delays)
        super().setup()

    def log_context(self, worker_ctx: Any) -> dict[str, Any]:
        """What the handler's log lines carry: the event's ids (never its data)."""
        body = worker_ctx.args[0] if worker_ctx.args else None
        if not isinstance(body, dict):
            return {}
        return {REQUEST_ID: valid_request_id(body.get("correlation_id")),
                "event_id": body.get("id") if isinstance(body.get("id"), str) else None,
                "event_type": f"{self.source_service}.{self.event_type}"}

    def handle_message_processed(self, message: Any, result: Any = None, exc_info: Any = None):
        attempt = int((message.headers or {}).get(ATTEMPT_HEADER, 0))
        if exc_info is None:
            log.info("event handled", handler=self.subscription.queue_name, attempt=attempt + 1)
            self.queue_consumer.ack_message(message)
            return
        dead = attempt >= len(self.delays)
        if dead:
            target = self.subscription.dead_letter_queue_name
        else:
            target = self.subscription.retry_queue_name(self.delays[attempt])
        error = "".join(traceback.format_exception_only(exc_info[0], exc_info[1])).strip()
        # The error's type and code only: its message may quote the event's data.
        (log.error if dead else log.warning)(
            "event dead-lettered" if dead else "event retried",
            handler=self.subscription.queue_name, attempt=attempt + 1, target=target,
            error_type=exc_info[0].__name__, code=getattr(exc_info[1], "code", None))
        try:
            self._republish(message, target, attempt + 1, error)
        except Exception:
            # Could not park it: return it to the queue rather than lose it.
            log.exception("could not republish; requeueing", target=target)
            self.queue_consumer.requeue_message(message)
            return
        self.queue_consumer.ack_message(message)

    def _republish(self, message: Any, routing_key: str, attempt: int, error: str) -> None:
        headers = {**(message.headers or {}), ATTEMPT_HEADER: attempt,
                   "x-loket-error": error[:500]}
        with Connection(
            self.container.config["AMQP_URI"], transport_options={"confirm_publish": True}
        ) as connection:
            connection.Producer().publish(
                message.body,
                exchange="",
                routing_key=routing_key,
                headers=headers,
                delivery_mode=2,
                content_type=message.content_type,
                content_encoding=message.content_encoding,
                retry=True,
            )


reliable_event_handler = ReliableEventHandler.decorator


def ensure_handled_index(database: Database) -> None:
    """Handled ids live in ``handled_events``; ``_id`` is unique by definition."""
    database[HANDLED_EVENTS].create_index([("tenant", 1), ("handled_at", 1)])


def handle_once(
    database: Database,
    event: Event,
    handler: str,
    apply: Callable[[ClientSession], None],
) -> bool:
    """Apply ``apply(session)`` unless ``handler`` already handled ``event``; True if applied.

    The handled marker and the effect commit together, so a redelivered
    event is skipped and a failed one leaves no marker behind. Only a clash on
    the marker means "already handled": a duplicate key from ``apply``'s own
    writes propagates, so the event is retried and then dead-lettered, not lost.
    """
    markers = TenantCollection(database[HANDLED_EVENTS], event.tenant)
    marker_id = f"{handler}:{event.id}"
    try:
        with transaction(database) as session:
            # the marker first: a repeat stops here, before doing the work again
            markers.insert_one({"_id": marker_id, "handled_at": datetime.now(UTC)},
                               session=session)
            apply(session)
    except DuplicateKeyError:
        # Which insert clashed? This transaction is aborted, so a marker in the database
        # is another delivery's, committed: handled. Without one, the clash was apply's.
        if markers.find_one({"_id": marker_id}, {"_id": 1}) is not None:
            return False
        raise
    return True
