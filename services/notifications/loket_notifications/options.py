# SPDX-License-Identifier: EUPL-1.2
"""The service's own options as its dependencies read them from Nameko's config.

:mod:`.settings` declares the environment variables; this plain dataclass holds their
defaults and reads them from the config dict, so tests may start the service with the
common config only.
"""
from __future__ import annotations

from dataclasses import dataclass

from loket_common.service_options import ServiceOptions


@dataclass(frozen=True)
class Options(ServiceOptions):
    """``NOTIFICATIONS_*`` values (see :class:`~loket_notifications.settings.Settings`)."""

    PREFIX = "NOTIFICATIONS_"

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
