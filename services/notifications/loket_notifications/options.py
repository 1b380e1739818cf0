# SPDX-License-Identifier: EUPL-1.2
"""The service's own options as its dependencies read them from Nameko's config.

:mod:`.settings` declares the environment variables; this plain dataclass holds their
defaults and reads them from the config dict, so tests may start the service with the
common config only.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

PREFIX = "NOTIFICATIONS_"


@dataclass(frozen=True)
class Options:
    """``NOTIFICATIONS_*`` values (see :class:`~loket_notifications.settings.Settings`)."""

    config_dir: str = ""
    templates_dir: str = ""
    smtp_relays: str = ""
    smtp_ca_file: str = ""
    retry_first_seconds: float = 60.0
    retry_max_seconds: float = 900.0
    retry_hours: float = 4.0
    content_retention_days: int = 90
    senders: int = 8
    lease_seconds: float = 120.0
    poll_seconds: float = 1.0
    rpc_timeout_seconds: float = 10.0
    sms_url: str = ""

    def config(self) -> dict[str, Any]:
        """These options as Nameko config entries (``NOTIFICATIONS_<NAME>``)."""
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
