# SPDX-License-Identifier: EUPL-1.2
"""The appointments timer: hold expiry, due reminders and lottery draws, for every tenant.

Nameko's ``@timer`` takes its interval at import time, so it is read here, from
``APPOINTMENTS_TIMER_SECONDS`` (declared in :mod:`.settings`).
"""
from __future__ import annotations

from nameko.timer import timer

from loket_common.outbox import OutboxRelay

from .dependencies import AppointmentsStore
from .settings import TimerSettings

TIMER_SECONDS = TimerSettings().timer_seconds


class TimersMixin:
    """Adds ``tick``, the service's one timer."""

    store: AppointmentsStore
    relay: OutboxRelay

    @timer(interval=TIMER_SECONDS)
    def tick(self) -> None:
        """Expire holds, emit due reminders and draw closed lottery windows, for every tenant."""
        emitted = 0
        for tenant in self.store.tenants():
            desk = self.store.desk(tenant)
            desk.expire_holds()
            emitted += desk.emit_due_reminders()
            emitted += self.store.lottery(tenant).run_due_draws()
        if emitted:
            self.relay.nudge()
