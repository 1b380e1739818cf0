# SPDX-License-Identifier: EUPL-1.2
"""What every worker of the service reads besides the database: options, tenants, the key."""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from nameko.extensions import DependencyProvider

from loket_common.sealing import NOTIFICATIONS_PRIVATE_KEY_VARIABLE, public_key_of

from .messages import RetryPolicy
from .options import Options
from .tenant_config import TenantConfigs


@dataclass(frozen=True)
class Runtime:
    """The service's options, its tenants' files and its private key."""

    options: Options
    tenants: TenantConfigs
    private_key: str

    @property
    def policy(self) -> RetryPolicy:
        """The retry back-off and horizon."""
        return RetryPolicy(self.options.retry_first_seconds, self.options.retry_max_seconds,
                           self.options.retry_hours)

    @property
    def retention(self) -> timedelta:
        """How long a message's content is kept."""
        return timedelta(days=self.options.content_retention_days)


class RuntimeProvider(DependencyProvider):
    """Reads the tenant files and the key once, at setup: a bad one stops the start."""

    def setup(self) -> None:
        config = self.container.config
        options = Options.from_config(config)
        key = (config.get(NOTIFICATIONS_PRIVATE_KEY_VARIABLE)
               or os.environ.get(NOTIFICATIONS_PRIVATE_KEY_VARIABLE, ""))
        if not key:
            raise SystemExit(f"{NOTIFICATIONS_PRIVATE_KEY_VARIABLE}: expected 32 bytes in "
                             "URL-safe base64, but it is not set")
        public_key_of(key)
        self.runtime = Runtime(options, TenantConfigs(options.config_dir or None), key)

    def get_dependency(self, worker_ctx: Any) -> Runtime:
        return self.runtime
