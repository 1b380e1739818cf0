# SPDX-License-Identifier: EUPL-1.2
"""The publication timer: every tenant's finished months are published, missed ones caught up.

Nameko's ``@timer`` takes its interval at import, so it is read here, from
``STATISTICS_PUBLISH_TIMER_SECONDS`` (``loket_statistics.settings.TimerSettings``). It needs
no lease: publishing is idempotent, and when two instances publish a month at once the
releases' unique index lets one win (the other answers the winner's release).
"""
from __future__ import annotations

from typing import Any

from nameko.timer import timer

from loket_common.errors import LoketError
from loket_common.logs import get_logger

from ..settings import TimerSettings

log = get_logger(__name__)
TIMER_SECONDS = TimerSettings().publish_timer_seconds


class PublicationTimer:
    """Adds ``publish_finished_months``."""

    runtime: Any
    publication_of: Any

    @timer(interval=TIMER_SECONDS)
    def publish_finished_months(self) -> None:
        """Publish every tenant's months that are over and have no release yet."""
        for tenant in self.runtime.tenants.ids():
            publisher = self.publication_of(tenant)
            try:
                for month in publisher.due_months():
                    release = publisher.publish(month)
                    log.info("month published", tenant=tenant, month=month,
                             number=release["number"], release_hash=release["release_hash"])
            except LoketError as error:  # e.g. no public URL: the other tenants go on
                log.error("month not published", tenant=tenant, code=error.code,
                          detail=error.detail)
