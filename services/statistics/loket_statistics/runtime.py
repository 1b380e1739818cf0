# SPDX-License-Identifier: EUPL-1.2
"""What every worker of the service reads besides the database: options, tenants, catalogue."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nameko.extensions import DependencyProvider

from .cells import ProcessInfo
from .options import Options
from .tenant_config import TenantConfigs


@dataclass(frozen=True)
class Runtime:
    """The service's options, its tenants' files and the briefly kept catalogues.

    ``catalogues``: tenant -> (when it was asked, monotonic seconds; its processes), kept by
    :mod:`.process_catalogue` for ``options.catalogue_cache_seconds``.
    """

    options: Options
    tenants: TenantConfigs
    catalogues: dict[str, tuple[float, dict[str, ProcessInfo]]] = field(default_factory=dict)


class RuntimeProvider(DependencyProvider):
    """Reads the tenant files once, at setup: a bad one stops the start."""

    def setup(self) -> None:
        options = Options.from_config(self.container.config)
        self.runtime = Runtime(options, TenantConfigs(options.config_dir or None))

    def get_dependency(self, worker_ctx: Any) -> Runtime:
        return self.runtime
