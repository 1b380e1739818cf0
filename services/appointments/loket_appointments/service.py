# SPDX-License-Identifier: EUPL-1.2
"""The appointments service: its dependencies, and its entrypoints composed by area.

Each mixin holds one area's entrypoints (Nameko finds inherited ``@rpc``, ``@timer`` and
event-handler methods like the class's own): the catalogue (``catalogue_rpc``), residents'
bookings (``booking_rpc``), the counter (``counter_rpc``), the fair release
(``lottery_rpc``), the resident projection (``residents_rpc``), the timer (``timers``),
and from ``loket_common`` the ``health`` RPC and the GDPR export and erasure.
"""
from __future__ import annotations

from loket_common.health import HealthMixin
from loket_common.outbox import OutboxRelay
from loket_common.resident_data_rpc import ResidentDataMixin

from .booking_rpc import BookingRpc
from .catalogue_rpc import CatalogueRpc
from .counter_rpc import CounterRpc
from .dependencies import AppointmentsDatabase
from .lottery_rpc import LotteryRpc
from .residents_rpc import ResidentsRpc
from .timers import TimersMixin


class AppointmentsService(HealthMixin, ResidentDataMixin, CatalogueRpc, BookingRpc, CounterRpc,
                          LotteryRpc, ResidentsRpc, TimersMixin):
    """Citizens' offices, availability, and bookings that are never sold twice."""

    name = "appointments"

    store = AppointmentsDatabase()
    relay = OutboxRelay()
