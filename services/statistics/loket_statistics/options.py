# SPDX-License-Identifier: EUPL-1.2
"""The service's own options as its dependencies read them from Nameko's config.

:mod:`.settings` declares the environment variables; this dataclass holds their defaults.
"""
from __future__ import annotations

from dataclasses import dataclass

from loket_common.service_options import ServiceOptions


@dataclass(frozen=True)
class Options(ServiceOptions):
    """``STATISTICS_*`` values (see :class:`~loket_statistics.settings.Settings`)."""

    PREFIX = "STATISTICS_"

    config_dir: str = ""
    rpc_timeout_seconds: float = 10.0
    catalogue_cache_seconds: float = 30.0
