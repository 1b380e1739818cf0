# SPDX-License-Identifier: EUPL-1.2
"""A Nameko service whose one event handler only returns: Nameko's own cost per event.

The baseline of ``bench.statistics``' ingest: it consumes ``appointments.appointment_booked``
as the statistics service does (a SERVICE_POOL queue of the same name pattern, reliable
delivery), touches no database, and counts what it handled in memory so the benchmark can
ask ``bench_event_echo.handled()`` when the backlog is drained. Started like the real
services: ``loket-service run --settings bench.event_echo_service:Settings
bench.event_echo_service``.
"""
from __future__ import annotations

from typing import Any, ClassVar

from nameko.events import event_handler

from loket_common.sealed_rpc import rpc
from loket_common.settings import ServiceSettings

Settings = ServiceSettings  # the common settings are all it reads (``AMQP_URI``, ...)
NAME = "bench_event_echo"
METHOD = "on_appointment_booked"


class BenchEventEcho:
    """``on_appointment_booked`` returns; ``handled()`` says how many it has seen."""

    name = NAME
    seen: ClassVar[int] = 0  # one process, one green thread at a time: no lock needed

    @event_handler("appointments", "appointment_booked")
    def on_appointment_booked(self, payload: dict[str, Any]) -> None:
        """Only return (the count is one integer addition, as cheap as returning)."""
        BenchEventEcho.seen += 1

    @rpc
    def handled(self) -> int:
        """How many events the handler has returned from."""
        return BenchEventEcho.seen
