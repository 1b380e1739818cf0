# SPDX-License-Identifier: EUPL-1.2
"""How often the appointments timer runs (hold expiry, reminders).

Nameko's ``@timer`` takes its interval at import time, so it is read here, from
``APPOINTMENTS_TIMER_SECONDS`` (declared in :mod:`.settings`).
"""
from .settings import TimerSettings

TIMER_SECONDS = TimerSettings().timer_seconds
