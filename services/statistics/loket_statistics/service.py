# SPDX-License-Identifier: EUPL-1.2
"""The statistics service: its dependencies, and its entrypoints composed by area.

Each mixin holds one area's entrypoints: the events that become counts
(``event_handlers``), what staff read and set (``views_rpc``: figures, settings, counter
transactions), the monthly releases (``publication.publication_rpc``) and their timer
(``publication.publication_timer``), and from ``loket_common`` the ``health`` RPC.

The mixins are named through their modules, never imported into this one: ``nameko run
loket_statistics.service`` starts every class of the module that has entrypoints.
"""
from __future__ import annotations

from loket_common import health
from loket_common.sealed_rpc import TransientRpcProxy

from . import event_handlers, views_rpc
from .dependencies import StatisticsDatabase
from .publication import publication_rpc, publication_timer
from .runtime import RuntimeProvider

# How long a catalogue look-up (process names, LeiKa keys) waits for the owning service.
RPC_TIMEOUT_KEY = "STATISTICS_RPC_TIMEOUT_SECONDS"


class StatisticsService(health.HealthMixin, event_handlers.EventHandlersMixin,
                        views_rpc.ViewsRpc, publication_rpc.PublicationRpc,
                        publication_timer.PublicationTimer):
    """Counts per tenant, month, process and channel; monthly tamper-evident open data."""

    name = "statistics"

    store = StatisticsDatabase()
    runtime = RuntimeProvider()
    appointments = TransientRpcProxy("appointments", timeout_key=RPC_TIMEOUT_KEY)
    permits = TransientRpcProxy("permits", timeout_key=RPC_TIMEOUT_KEY)
