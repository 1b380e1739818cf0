# SPDX-License-Identifier: EUPL-1.2
"""The statistics service's settings: the common ones plus its database, tenants and timer.

Each variable is declared here once; :meth:`Settings.nameko_config` passes them on under
their own names, and :class:`~loket_statistics.options.Options` reads them back from
Nameko's config (with the same defaults, for tests that start the service with a bare
config). ``loket-service run loket_statistics.service`` finds this class by its name.
"""
from __future__ import annotations

from typing import Any

from loket_common.settings import LoketSettings, ServiceSettings, variable

from .options import Options

PUBLISH_TIMER_VARIABLE = "STATISTICS_PUBLISH_TIMER_SECONDS"


class TimerSettings(LoketSettings):
    """The publication timer's interval, which Nameko's ``@timer`` needs at import."""

    publish_timer_seconds: float = variable(
        PUBLISH_TIMER_VARIABLE, 3600, "how often the service looks for finished months to "
        "publish (each is published once, on the first run after the month ended)", gt=0)


class Settings(ServiceSettings, TimerSettings):
    """What the statistics service reads from the environment."""

    mongo_database: str = variable("STATISTICS_MONGO_DATABASE", "loket_statistics",
                                   "its database")
    config_dir: str = variable(
        "STATISTICS_CONFIG_DIR", Options.config_dir, "a directory of tenant files "
        "(`<tenant>.yml`) used instead of the built-in ones", shown="(built-in)")
    rpc_timeout_seconds: float = variable(
        "STATISTICS_RPC_TIMEOUT_SECONDS", Options.rpc_timeout_seconds,
        "how long a catalogue look-up (process names, LeiKa keys) waits for the owning "
        "service", gt=0)
    catalogue_cache_seconds: float = variable(
        "STATISTICS_CATALOGUE_CACHE_SECONDS", Options.catalogue_cache_seconds,
        "how long the processes' names and keys asked from appointments and permits are "
        "kept", ge=0)

    def nameko_config(self) -> dict[str, Any]:
        """The common config plus what the statistics dependencies read."""
        return {**super().nameko_config(),
                PUBLISH_TIMER_VARIABLE: self.publish_timer_seconds,
                **Options(config_dir=self.config_dir,
                          rpc_timeout_seconds=self.rpc_timeout_seconds,
                          catalogue_cache_seconds=self.catalogue_cache_seconds).config()}
