# SPDX-License-Identifier: EUPL-1.2
"""The appointments service: its dependencies, and its entrypoints composed by area.

Each mixin holds one area's entrypoints (Nameko finds inherited ``@rpc``, ``@timer`` and
event-handler methods like the class's own): the catalogue (``catalogue_rpc``), residents'
bookings (``booking_rpc``), the counter (``counter_rpc``), the fair release
(``lottery_rpc``), the resident projection (``residents_rpc``), what notifications read
(``notification_rpc``), the timer (``timers``),
and from ``loket_common`` the ``health`` RPC and the GDPR export and erasure.

The mixins are named through their modules, never imported into this one: ``nameko run
loket_appointments.service`` starts every class of the module that has entrypoints.
"""
from __future__ import annotations

from loket_common import health, resident_data_rpc
from loket_common.outbox import OutboxRelay

from . import (
    booking_rpc,
    catalogue_rpc,
    counter_rpc,
    lottery_rpc,
    notification_rpc,
    residents_rpc,
    timers,
)
from .dependencies import AppointmentsDatabase


class AppointmentsService(health.HealthMixin, resident_data_rpc.ResidentDataMixin,
                          catalogue_rpc.CatalogueRpc, booking_rpc.BookingRpc,
                          counter_rpc.CounterRpc, lottery_rpc.LotteryRpc,
                          residents_rpc.ResidentsRpc, notification_rpc.NotificationRpc,
                          timers.TimersMixin):
    """Citizens' offices, availability, and bookings that are never sold twice."""

    name = "appointments"

    store = AppointmentsDatabase()
    relay = OutboxRelay()
