# SPDX-License-Identifier: EUPL-1.2
"""The service's own options as its dependencies read them from Nameko's config.

:mod:`.settings` declares the environment variables; this plain dataclass holds their
defaults and reads them from the config dict, so tests may start the service with the
common config only.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

PREFIX = "STATISTICS_"


@dataclass(frozen=True)
class Options:
    """``STATISTICS_*`` values (see :class:`~loket_statistics.settings.Settings`)."""

    config_dir: str = ""
    rpc_timeout_seconds: float = 10.0
    catalogue_cache_seconds: float = 30.0

    def config(self) -> dict[str, Any]:
        """These options as Nameko config entries (``STATISTICS_<NAME>``)."""
        return {PREFIX + name.upper(): value for name, value in asdict(self).items()}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Options:
        """The options in ``config``; a missing entry keeps its default."""
        values: dict[str, Any] = {}
        for field in fields(cls):
            key = PREFIX + field.name.upper()
            if config.get(key) not in (None, ""):
                kind = type(getattr(cls, field.name))
                values[field.name] = kind(config[key])
        return cls(**values)
