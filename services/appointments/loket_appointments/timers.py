# SPDX-License-Identifier: EUPL-1.2
"""How often the appointments timer runs (hold expiry, reminders).

Nameko's ``@timer`` takes its interval at import time, so it is read from the
environment here (``APPOINTMENTS_TIMER_SECONDS``, default 5).
"""
import os

TIMER_SECONDS = float(os.environ.get("APPOINTMENTS_TIMER_SECONDS", "5"))
