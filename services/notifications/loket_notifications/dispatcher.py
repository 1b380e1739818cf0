# SPDX-License-Identifier: EUPL-1.2
"""The dispatcher: claims due messages and hands each to a worker that sends it.

:class:`DueMessages` is a Nameko entrypoint (like ``@timer``): a loop in the service
reads a batch of due messages (``message_store.due_candidates``) and claims them one at a
time with a lease (``message_store.claim``), so several instances compete for the same
messages and never send one twice, and spawns a worker of
the decorated method for it, at most ``NOTIFICATIONS_SENDERS`` at once. Event handlers
:meth:`Wakeup.nudge` it (through the :class:`Nudge` dependency) right after they commit a
message; it polls every ``NOTIFICATIONS_POLL_SECONDS`` as a fallback, for retries that
fall due and messages a dead instance left behind.
"""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import eventlet
from eventlet.event import Event as GreenEvent
from eventlet.semaphore import Semaphore
from nameko.extensions import DependencyProvider, Entrypoint, SharedExtension

from loket_common.logs import get_logger
from loket_common.mongo import connect

from .delivery_facts import fact_of
from .message_store import claim, due_candidates
from .options import Options
from .recipients import Recipients
from .sender import Sender, SendParts

log = get_logger(__name__)


class Wakeup(SharedExtension):
    """One per container: the handlers' nudge, the dispatcher's wait."""

    def setup(self) -> None:
        self.event = GreenEvent()

    def nudge(self) -> None:
        """Look for due messages now rather than at the next poll."""
        if not self.event.ready():
            self.event.send(True)

    def wait(self, seconds: float) -> None:
        """Until nudged, at most ``seconds``."""
        with eventlet.Timeout(seconds, False):
            self.event.wait()
        self.event = GreenEvent()


class Nudge(DependencyProvider):
    """Gives workers the container's :class:`Wakeup` (``self.dispatch.nudge()``)."""

    wakeup = Wakeup()

    def get_dependency(self, worker_ctx: Any) -> Wakeup:
        return self.wakeup


class DueMessages(Entrypoint):
    """Runs the decorated method once per claimed message (its one argument)."""

    wakeup = Wakeup()

    def setup(self) -> None:
        config = self.container.config
        self.options = Options.from_config(config)
        self.client = connect(config["MONGO_URI"])
        self.database = self.client[config["MONGO_DATABASE"]]
        self.running = False

    def start(self) -> None:
        self.running = True
        self.slots = Semaphore(self.options.senders)
        self.container.spawn_managed_thread(self._run, identifier="notifications_dispatcher")

    def stop(self) -> None:
        self.running = False
        self.wakeup.nudge()
        super().stop()

    def kill(self) -> None:
        self.running = False
        self.wakeup.nudge()

    def _run(self) -> None:
        while self.running:
            try:
                self._claim_while_due()
            except Exception:  # the loop must survive database outages
                log.exception("dispatcher failed; retrying",
                              retry_in_s=self.options.poll_seconds)
            self.wakeup.wait(self.options.poll_seconds)
        self.client.close()

    def _claim_while_due(self) -> None:
        candidates: list[dict[str, Any]] = []
        while self.running:
            self.slots.acquire()  # a free sender first: a claimed message never waits
            try:
                message = None
                while message is None:
                    now = datetime.now(UTC)
                    if not candidates:  # one read for a batch of claims
                        candidates = due_candidates(self.database, now,
                                                    4 * self.options.senders)
                        if not candidates:
                            break
                    message = claim(self.database, candidates.pop(0), now,
                                    self.options.lease_seconds)
                if message is None:
                    self.slots.release()
                    return
                message.pop("_id", None)
                self.container.spawn_worker(self, (message,), {},
                                            handle_result=self._finished)
            except BaseException:
                self.slots.release()
                raise

    def _finished(self, worker_ctx: Any, result: Any, exc_info: Any) -> tuple[Any, Any]:
        self.slots.release()
        return result, exc_info


due_messages = DueMessages.decorator


class SendingMixin:
    """Adds ``send_due_message``, the worker the dispatcher spawns per claimed message."""

    store: Any
    runtime: Any
    renderer: Any
    channels: Any
    appointments: Any
    permits: Any
    profile: Any
    relay: Any  # OutboxRelay

    @due_messages
    def send_due_message(self, message: dict[str, Any]) -> str:
        """Send one claimed message; return the state it ended in.

        A state the statistics count was told through the outbox: its relay is woken.
        """
        runtime = self.runtime
        state = Sender(SendParts(
            store=self.store, renderer=self.renderer, channels=self.channels,
            recipients=Recipients(self.appointments, self.permits, self.profile,
                                  runtime.private_key,
                                  sms_provider=bool(runtime.options.sms_url)),
            tenants=runtime.tenants, policy=runtime.policy, retention=runtime.retention,
            private_key=runtime.private_key)).send(message)
        if fact_of(state):
            self.relay.nudge()
        return state
