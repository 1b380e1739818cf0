# SPDX-License-Identifier: EUPL-1.2
"""The publication timer's interval, which Nameko's ``@timer`` needs at import.

The service's ``Settings`` inherits this class (as the notifications' inherits its
``TimerSettings``), so the variable is declared here once and listed with the others.
"""
from __future__ import annotations

from loket_common.settings import LoketSettings, variable


class PublishTimerSettings(LoketSettings):
    """How often finished months are looked for and published."""

    publish_timer_seconds: float = variable(
        "STATISTICS_PUBLISH_TIMER_SECONDS", 3600, "how often the statistics service looks "
        "for finished months to publish (every tenant's months up to the previous one, once "
        "it is over; missed ones are caught up)", gt=0)
