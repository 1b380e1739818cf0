# SPDX-License-Identifier: EUPL-1.2
"""The notifications service: its dependencies, and its entrypoints composed by area.

Each mixin holds one area's entrypoints: the events that become messages
(``event_handlers``), the dispatcher's worker (``dispatcher``), what residents, staff,
operators and admins see and do (``views_rpc``), the retention timer (``retention``), and
from ``loket_common`` the ``health`` RPC and the GDPR export and erasure.

The mixins are named through their modules, never imported into this one: ``nameko run
loket_notifications.service`` starts every class of the module that has entrypoints.
"""
from __future__ import annotations

from loket_common import health, resident_data_rpc
from loket_common.outbox import OutboxRelay
from loket_common.sealed_rpc import TransientRpcProxy

from . import dispatcher, event_handlers, retention, views_rpc, wiring
from .dependencies import NotificationsDatabase
from .runtime import RuntimeProvider

# How long a recipient look-up waits for the owning service (NOTIFICATIONS_RPC_TIMEOUT_SECONDS).
RPC_TIMEOUT_KEY = "NOTIFICATIONS_RPC_TIMEOUT_SECONDS"


class NotificationsService(health.HealthMixin, resident_data_rpc.ResidentDataMixin,
                           event_handlers.EventHandlersMixin, dispatcher.SendingMixin,
                           views_rpc.ViewsRpc, retention.RetentionMixin):
    """Messages to residents and staff, sent reliably, with their states."""

    name = "notifications"

    store = NotificationsDatabase()
    relay = OutboxRelay()
    runtime = RuntimeProvider()
    dispatch = dispatcher.Nudge()
    channels = wiring.Channels()
    renderer = wiring.Templates()
    appointments = TransientRpcProxy("appointments", timeout_key=RPC_TIMEOUT_KEY)
    permits = TransientRpcProxy("permits", timeout_key=RPC_TIMEOUT_KEY)
    profile = TransientRpcProxy("profile", timeout_key=RPC_TIMEOUT_KEY)
