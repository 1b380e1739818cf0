# SPDX-License-Identifier: EUPL-1.2
"""The request id inside a service: bound to every log line of a worker, copied into events.

The gateway gives every HTTP request an id and sends it in Nameko's
``context_data`` (AMQP header ``nameko.request_id``). :class:`RequestContext`,
a DependencyProvider every service has (through ``HealthMixin``), binds it with
the service and entrypoint names into structlog's context variables while the
worker runs, and logs one line per RPC. An entrypoint may say what else to
bind with a ``log_context(worker_ctx)`` method: the reliable event handler
binds the event's ``correlation_id`` (as ``request_id``), ``event_id`` and
``event_type``. :func:`current_request_id` is what the outbox copies into each
event as its ``correlation_id``.
"""
from __future__ import annotations

import re
import time
from typing import Any
from weakref import WeakKeyDictionary

import structlog
from nameko.extensions import DependencyProvider
from nameko.rpc import Rpc

from .logs import get_logger

REQUEST_ID = "request_id"
# What the gateway accepts from a client (and any service from its caller).
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")

log = get_logger(__name__)


def valid_request_id(value: Any) -> str | None:
    """``value`` if it is a usable request id (8–64 of ``A-Z a-z 0-9 . _ -``), else None."""
    if isinstance(value, str) and VALID_REQUEST_ID.fullmatch(value):
        return value
    return None


def current_request_id() -> str | None:
    """The request id bound for the current request or worker, if any."""
    return structlog.contextvars.get_contextvars().get(REQUEST_ID)


def _error_code(error: BaseException | None) -> str | None:
    code = getattr(error, "code", None)
    return code if isinstance(code, str) else None


class RequestContext(DependencyProvider):
    """Binds ``request_id``, ``service`` and ``entrypoint`` to the logs of each worker."""

    def setup(self) -> None:
        self.started: WeakKeyDictionary[Any, float] = WeakKeyDictionary()

    def worker_setup(self, worker_ctx: Any) -> None:
        structlog.contextvars.clear_contextvars()
        entrypoint = worker_ctx.entrypoint
        context: dict[str, Any] = {
            "service": self.container.service_name,
            "entrypoint": entrypoint.method_name,
        }
        request_id = valid_request_id(worker_ctx.data.get(REQUEST_ID))
        if request_id:
            context[REQUEST_ID] = request_id
        extra = getattr(entrypoint, "log_context", None)
        if callable(extra):
            context.update({key: value for key, value in extra(worker_ctx).items()
                            if value is not None})
        structlog.contextvars.bind_contextvars(**context)
        self.started[worker_ctx] = time.perf_counter()

    def worker_result(self, worker_ctx: Any, result: Any = None, exc_info: Any = None) -> None:
        if not isinstance(worker_ctx.entrypoint, Rpc):
            return  # event handlers and timers log their own outcome
        started = self.started.pop(worker_ctx, None)
        duration = round((time.perf_counter() - started) * 1000, 1) if started else None
        if exc_info is None:
            log.info("rpc handled", outcome="ok", duration_ms=duration)
            return
        error = exc_info[1]
        code = _error_code(error)
        # A LoketError (it has a code) is an answer, anything else a failure.
        (log.info if code else log.error)(
            "rpc failed", outcome="error", error_type=type(error).__name__, code=code,
            duration_ms=duration)

    def worker_teardown(self, worker_ctx: Any) -> None:
        self.started.pop(worker_ctx, None)
        structlog.contextvars.clear_contextvars()

    def get_dependency(self, worker_ctx: Any) -> None:
        return None
