# SPDX-License-Identifier: EUPL-1.2
"""The ``health`` RPC every service offers the gateway's ``GET /health``.

Every service inherits :class:`HealthMixin`, so it also carries what every
service's workers need: the request context of their logs.
"""
from __future__ import annotations

from typing import Any

from .request_context import RequestContext
from .sealed_rpc import rpc


class HealthMixin:
    """Adds ``health()``: the service answers, and says whether its database does."""

    name: str
    store: Any
    # Binds request_id, service and entrypoint to each worker's log lines.
    request_context = RequestContext()

    @rpc
    def health(self) -> dict[str, Any]:
        """``{"service": ..., "database": "ok" | "unavailable"}``."""
        try:
            database = "ok" if self.store.ping() else "unavailable"
        except Exception:  # any failure to reach the database is "unavailable"
            database = "unavailable"
        return {"service": self.name, "database": database}
