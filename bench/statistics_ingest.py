# SPDX-License-Identifier: EUPL-1.2
"""Events ingested per second: the statistics service against a Nameko handler that returns.

One measurement (:func:`drain`) on a fresh vhost: the handler's durable queue is declared,
``count`` ``appointments.appointment_booked`` events are published into it as the outbox
relay publishes them (persistent, confirmed, JSON, ``message_id``), then the service is
started and drains that backlog. The rate counts from the first handled event to the last
(the service's start-up is not the events' cost); CPU per event is each process's CPU over
the same window. The statistics service is done when its cells count ``count`` bookings;
the baseline (``bench.event_echo_service``) when its handler has returned ``count`` times.
"""
from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from kombu import Connection

from deploy.local.infra import delete_vhost, isolated_vhost
from deploy.local.processes import ProcessGroup
from deploy.local.system import BIN, ROOT
from loket_common.events import Event
from loket_common.mongo import connect
from loket_common.topology import Subscription, event_exchange

from .cpu import CpuProbe, find_by_name
from .targets import NamekoClient, wait_for_consumer

TENANT = "musterstadt"
SOURCE, EVENT_TYPE = "appointments", "appointment_booked"
# The demo tenant's appointment services (loket_appointments/demo.py), so names resolve.
SERVICE_IDS = ("id-card", "passport", "registration", "good-conduct")
COUNTER_EVERY = 5  # every fifth booking is a walk-in at the counter (two facts)
POLL_SECONDS = 0.05


@dataclass(frozen=True)
class Target:
    """A service under test: how to start it, which handler queue it drains, how far it is."""

    name: str  # its Nameko name (the queue's ``--<service>.<method>``) and process label
    method: str
    command: list[str]
    handled: Callable[[], int]  # how many of the published events it has counted so far
    close: Callable[[], None]  # what ``handled`` opened

    @property
    def subscription(self) -> Subscription:
        return Subscription(SOURCE, EVENT_TYPE, self.name, self.method)


def booking_events(count: int, tenant: str = TENANT) -> Iterator[Event]:
    """``count`` bookings shaped as ``BookingDesk.event`` makes them (no names, no emails)."""
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=7)
    for number in range(count):
        begins = start + timedelta(minutes=10 * number)
        yield Event(source=SOURCE, type=EVENT_TYPE, tenant=tenant, data={
            "reference": uuid.uuid4().hex[:10].upper(),
            "service_id": SERVICE_IDS[number % len(SERVICE_IDS)], "office_id": "rathaus",
            "counter_id": "schalter-1", "start": begins.isoformat(),
            "end": (begins + timedelta(minutes=10)).isoformat(), "language": "de",
            "channel": "counter" if number % COUNTER_EVERY == 0 else "online",
            "subject": str(uuid.uuid4())})


def publish_backlog(amqp_uri: str, subscription: Subscription, count: int) -> float:
    """Declare the handler's queue, publish ``count`` events into it; events/s published."""
    exchange = event_exchange(SOURCE)
    with Connection(amqp_uri, transport_options={"confirm_publish": True}) as connection:
        subscription.queue()(connection.default_channel).declare()
        producer = connection.Producer()
        began = time.perf_counter()
        for event in booking_events(count):  # as loket_common.outbox.OutboxPublisher does
            message = event.to_message()
            producer.publish(message, exchange=exchange, routing_key=message["type"],
                             declare=[exchange], delivery_mode=2, serializer="json",
                             message_id=message["id"], retry=True,
                             retry_policy={"max_retries": 3})
        return count / (time.perf_counter() - began)


def drain(target: Target, group: ProcessGroup, env: dict[str, str], count: int,
          probe_roots: dict[str, int], timeout: float) -> dict[str, Any]:
    """Start ``target`` on the backlog in ``env["AMQP_URI"]``; its rate and CPU per event."""
    process = group.start(target.name, target.command, cwd=ROOT, env=env)
    probe = CpuProbe({target.name: [process.pid],
                      **{name: [pid] for name, pid in probe_roots.items()}})
    try:
        first_at, first_count, cpu_before = _first_handled(target, process, probe, timeout)
        deadline = time.monotonic() + timeout
        while (done := target.handled()) < count:
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"{target.name} counted {done} of {count} events "
                                   f"(log: {group.log_dir / target.name}.log)")
            time.sleep(POLL_SECONDS)
        seconds, cpu_after = time.monotonic() - first_at, probe()
    finally:
        group.stop_child(target.name)
    if done != count:
        raise RuntimeError(f"{target.name} counted {done} events, {count} were published")
    events = count - first_count
    return {"events_per_second": round(events / seconds, 1), "window_events": events,
            "window_seconds": round(seconds, 2),
            "cpu_ms_per_event": {name: round(1000 * (cpu_after[name] - cpu_before[name])
                                             / events, 3) for name in cpu_after}}


def _first_handled(target: Target, process: Any, probe: CpuProbe,
                   timeout: float) -> tuple[float, int, dict[str, float]]:
    """Wait for the first counted event: (when, how many by then, each process's CPU then)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            done = target.handled()
        except Exception:  # still starting: no RPC consumer or no collection yet
            done = 0
        if done:
            return time.monotonic(), done, probe()
        time.sleep(POLL_SECONDS)
    raise RuntimeError(f"{target.name} handled nothing within {timeout:.0f} s")


def on_fresh_vhost(amqp_uri: str, management: str, run: Callable[[str], dict[str, Any]]
                   ) -> dict[str, Any]:
    """``run(vhost_uri)`` on a vhost of its own, removed afterwards (with its queues)."""
    vhost = f"loket-bench-stats-{uuid.uuid4().hex[:8]}"
    uri = isolated_vhost(amqp_uri, management, vhost)
    try:
        return run(uri)
    finally:
        delete_vhost(management, vhost)


def statistics_target(env: dict[str, str]) -> Target:
    """The real statistics service; done when its cells count the published bookings."""
    client = connect(env["MONGO_URI"])
    cells = client[env["STATISTICS_MONGO_DATABASE"]]["cells"]

    def handled() -> int:
        return sum(cell.get("n", 0) for cell in cells.find(
            {"tenant": TENANT, "measure": "appointments_booked"}, {"n": 1, "_id": 0}))

    return Target("statistics", "on_appointment_booked",
                  [str(BIN / "loket-service"), "run", "loket_statistics.service"], handled,
                  client.close)


def echo_target(env: dict[str, str]) -> Target:
    """``bench.event_echo_service``; done when its handler has returned for every event."""
    from .event_echo_service import METHOD, NAME

    clients: list[NamekoClient] = []

    def handled() -> int:
        if not clients:  # once the service consumes its RPC queue (no unroutable calls)
            wait_for_consumer(env["AMQP_URI"], f"rpc-{NAME}")
            clients.append(NamekoClient(env["AMQP_URI"], env["LOKET_RPC_KEYS"], NAME,
                                        "handled", (), lambda _: True, timeout=10))
        return int(clients[0].method())

    def close() -> None:
        for client in clients:
            client.close()

    return Target(NAME, METHOD, [str(BIN / "loket-service"), "run", "--settings",
                                 "bench.event_echo_service:Settings",
                                 "bench.event_echo_service"], handled, close)


def measure_one(make_target: Callable[[dict[str, str]], Target], env: dict[str, str],
                count: int, management: str, group: ProcessGroup,
                timeout: float) -> dict[str, Any]:
    """Backlog ``count`` events for the target on a fresh vhost, then drain it."""
    roots = {name: process.pid for name, process in group.children if name == "secantusdb"}
    if (broker := find_by_name("beam.smp")) is not None:
        roots["rabbitmq"] = broker

    def run(vhost_uri: str) -> dict[str, Any]:
        vhost_env = {**env, "AMQP_URI": vhost_uri}
        target = make_target(vhost_env)
        try:
            published = publish_backlog(vhost_uri, target.subscription, count)
            return {"published_per_second": round(published, 1),
                    **drain(target, group, vhost_env, count, roots, timeout)}
        finally:
            target.close()

    return on_fresh_vhost(env["AMQP_URI"], management, run)
