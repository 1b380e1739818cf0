# SPDX-License-Identifier: EUPL-1.2
"""A request id for every HTTP request, and the gateway's one log line per request.

The id is the client's ``X-Request-ID`` when it is valid (8–64 characters of
``A-Z a-z 0-9 . _ -``), else a new UUID4 in hex. It is bound in structlog's
context variables while the request runs (every log line carries it), put
into the ``context_data`` of each RPC (:func:`stamp_request_id`, called when
the RPC pool lends a proxy), and returned in the response's ``X-Request-ID``.

The request line names the method, the route *template* (never the path or
its query string: manage and status links carry tokens there), the status and
the duration; never a body or a header's value.
"""
from __future__ import annotations

import time
import uuid
from typing import Any

import structlog
from flask import Flask, Response, g, request

from loket_common.logs import get_logger
from loket_common.request_context import REQUEST_ID, current_request_id, valid_request_id

HEADER = "X-Request-ID"

log = get_logger("loket_gateway.requests")


def request_id_from(header: str | None) -> str:
    """The client's id if it is valid, else a new one."""
    return valid_request_id(header) or uuid.uuid4().hex


def stamp_request_id(context_data: dict[str, Any]) -> None:
    """Put the current request id into a (reused) RPC proxy's ``context_data``, or remove it."""
    request_id = current_request_id()
    if request_id:
        context_data[REQUEST_ID] = request_id
    else:
        context_data.pop(REQUEST_ID, None)


def _begin() -> None:
    structlog.contextvars.clear_contextvars()
    g.request_id = request_id_from(request.headers.get(HEADER))
    g.request_started = time.perf_counter()
    structlog.contextvars.bind_contextvars(request_id=g.request_id)


def _finish(response: Response) -> Response:
    if "request_id" not in g:  # an earlier before_request answered first
        _begin()
    response.headers[HEADER] = g.request_id
    rule = request.url_rule
    status = response.status_code
    (log.error if status >= 500 else log.info)(
        "request", method=request.method, route=rule.rule if rule else None,
        endpoint=request.endpoint, tenant=(request.view_args or {}).get("tenant"),
        status=status, duration_ms=round((time.perf_counter() - g.request_started) * 1000, 1))
    return response


def _clear(_: BaseException | None) -> None:
    structlog.contextvars.clear_contextvars()


def init_request_ids(app: Flask) -> None:
    """Give ``app``'s requests ids and a log line (call first, before other hooks)."""
    app.before_request_funcs.setdefault(None, []).insert(0, _begin)
    app.after_request(_finish)
    app.teardown_request(_clear)
