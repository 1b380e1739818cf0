# SPDX-License-Identifier: EUPL-1.2
"""The GDPR entrypoints of a service that holds residents' data: export and erasure.

:class:`ResidentDataMixin` adds them to a service whose ``store`` offers what differs
between services (:class:`ResidentDataStore`: what to export, what to erase), as
:class:`loket_common.health.HealthMixin` adds ``health``.
"""
from __future__ import annotations

from typing import Any, Protocol

from .data_protection import ERASURE_REQUESTED, checked_subject
from .events import Event, event_from_message
from .handlers import reliable_event_handler
from .outbox import OutboxRelay
from .sealed_rpc import rpc
from .tenant import checked_tenant


class ResidentDataStore(Protocol):
    """A service store's part of the rights of access and erasure."""

    def export_subject(self, tenant: str, subject: str) -> dict[str, Any]:
        """Everything the service holds about ``subject`` in ``tenant``, as plain JSON."""

    def erase_subject(self, event: Event) -> bool:
        """Handle ``profile.erasure_requested`` once (``erase_once``); True if it erased now."""


class ResidentDataMixin:
    """Adds ``export_subject`` (RPC) and ``erase_subject`` (on ``profile.erasure_requested``)."""

    store: ResidentDataStore
    relay: OutboxRelay

    @rpc
    def export_subject(self, tenant: str, subject: str) -> dict[str, Any]:
        """Everything the service holds about the resident, as plain JSON."""
        return self.store.export_subject(checked_tenant(tenant), checked_subject(subject))

    @reliable_event_handler("profile", ERASURE_REQUESTED)
    def erase_subject(self, body: dict[str, Any]) -> None:
        """Erase or anonymise the resident's data; ``erasure_completed`` in the same step."""
        event = event_from_message(body)
        checked_subject(event.data.get("subject"))
        if self.store.erase_subject(event):
            self.relay.nudge()
