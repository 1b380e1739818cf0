# SPDX-License-Identifier: EUPL-1.2
"""A Nameko service that only echoes: Nameko's own RPC cost, without any database.

Started by the benchmark with ``loket-service run --settings bench.echo_service:Settings
bench.echo_service``, like the real services (it has no database of its own).
"""
from __future__ import annotations

from typing import Any

from loket_common.sealed_rpc import rpc
from loket_common.settings import ServiceSettings

Settings = ServiceSettings  # the common settings are all it reads (``AMQP_URI``, ...)


class BenchEcho:
    """``bench_echo.echo(value)`` returns ``value``."""

    name = "bench_echo"

    @rpc
    def echo(self, value: Any) -> Any:
        """Return ``value`` unchanged."""
        return value
