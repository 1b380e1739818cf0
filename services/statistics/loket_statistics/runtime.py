# SPDX-License-Identifier: EUPL-1.2
"""What every worker reads besides the database (placeholder of the skeleton)."""
from __future__ import annotations

from typing import Any

from nameko.extensions import DependencyProvider


class RuntimeProvider(DependencyProvider):
    """Reads the tenant files once, at setup."""

    def get_dependency(self, worker_ctx: Any) -> Any:
        return None
