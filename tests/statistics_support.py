# SPDX-License-Identifier: EUPL-1.2
"""What the statistics end-to-end tests share: a past month's events, figures, the commands.

The current month cannot be published before it is over, and a booking or an application
counts in the month it happened, so a past month's facts cannot be made through the product
today. The tests publish such events the way a service does: written to an outbox (a
database of the tests' own on the system's server) in one transaction, then sent by the
outbox relay's publisher with publisher confirms to the source's exchange. The events name
no booking and no application (nothing the notifications service would write to), only
what statistics counts: the service or type, the channel, the times.
"""
from __future__ import annotations

import csv
import io
import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from deploy.local.system import BIN
from loket_common.events import Event
from loket_common.mongo import connect, transaction
from loket_common.outbox import OutboxPublisher, add_to_outbox
from loket_contracts.statistics.measures import MONTH_ZONE

from .booking_client import api
from .test_notification_pages_browser import eventually

TENANT = "musterstadt"
HISTORY_DATABASE = "e2e_statistics_history"
Cell = tuple[str, str, str]  # (process, measure, channel)


def this_month() -> str:
    """The running month where the tenants are (``YYYY-MM``)."""
    return datetime.now(MONTH_ZONE).strftime("%Y-%m")


def previous_month() -> str:
    """The month before the running one (the newest that can be published)."""
    first = datetime.now(MONTH_ZONE).replace(day=1)
    return (first - timedelta(days=1)).strftime("%Y-%m")


def instant_in(month: str, day: int = 15) -> datetime:
    """Noon of ``day`` of ``month`` in Europe/Berlin."""
    year, number = (int(part) for part in month.split("-"))
    return datetime(year, number, day, 12, 0, tzinfo=MONTH_ZONE)


def booked(service_id: str, channel: str, month: str) -> Event:
    """An ``appointments.appointment_booked`` made in ``month`` (booked on ``channel``)."""
    at = instant_in(month)
    return Event("appointments", "appointment_booked", TENANT, {
        "service_id": service_id, "office_id": "rathaus", "counter_id": "schalter-1",
        "start": (at + timedelta(days=3)).isoformat(),
        "end": (at + timedelta(days=3, minutes=15)).isoformat(), "language": "de",
        "channel": channel}, occurred_at=at.isoformat())


def submitted(type_id: str, channel: str, month: str) -> Event:
    """A ``permits.permit_submitted`` of ``month`` (received on ``channel``)."""
    at = instant_in(month)
    return Event("permits", "permit_submitted", TENANT, {
        "type_id": type_id, "channel": channel, "submitted_at": at.isoformat(),
        "due_at": (at + timedelta(days=14)).isoformat(), "language": "de"},
        occurred_at=at.isoformat())


def events_for(counts: dict[Cell, int], month: str) -> list[Event]:
    """``n`` events for every (process, measure, channel) of ``counts``."""
    makers = {"appointments_booked": booked, "applications_submitted": submitted}
    events = []
    for (process, measure, channel), n in counts.items():
        key = process.split(":", 1)[1]
        events.extend(makers[measure](key, channel, month) for _ in range(n))
    return events


def publish_events(system, events: Iterable[Event]) -> None:
    """Write ``events`` to an outbox in one transaction and relay them as a service does."""
    client = connect(system.mongo_uri)
    database = client[HISTORY_DATABASE]
    try:
        with transaction(database) as session:
            for event in events:
                add_to_outbox(database, event, session)
        publisher = OutboxPublisher(database, system.amqp_uri)
        try:
            while publisher.publish_pending():
                pass
        finally:
            publisher.close()
    finally:
        client.close()


def bearer(system, username: str) -> dict[str, str]:
    """A demo member of staff's bearer header."""
    return {"Authorization": f"Bearer {system.token_for(username)}"}


def figures(system, month: str, headers: dict[str, str]) -> dict:
    """``GET /api/v1/tenants/<tenant>/statistics/figures?month=`` (an admin's live figures)."""
    answer = api(system, "GET", "/statistics/figures", params={"month": month}, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


def count(month_figures: dict, process: str, measure: str, channel: str) -> int:
    """One live count of ``month_figures`` (0 when absent)."""
    for item in month_figures["processes"]:
        if item["process"] == process:
            return int(item["counts"].get(measure, {}).get(channel, 0))
    return 0


def wait_for_counts(system, month: str, expected: dict[Cell, int],
                    headers: dict[str, str]) -> dict:
    """Wait until the live figures of ``month`` hold exactly ``expected``; the figures.

    Fails at once when a count passes its expected value (counted twice).
    """
    def counted() -> dict | None:
        shown = figures(system, month, headers)
        seen = {cell: count(shown, *cell) for cell in expected}
        over = {cell: n for cell, n in seen.items() if n > expected[cell]}
        assert not over, f"counted more than happened: {over} (expected {expected})"
        return shown if seen == expected else None

    return eventually(counted, f"the figures of {month} show {expected}", seconds=60)


def run_tool(system, name: str, *args: str) -> subprocess.CompletedProcess:
    """Run an operator command (``loket-statistics-*``) with the system's environment."""
    return subprocess.run([str(BIN / name), *args], env={**os.environ, **system.env()},
                          capture_output=True, text=True, timeout=120, check=False)


def csv_rows(text: str) -> list[dict[str, str]]:
    """The rows of a published ``statistics.csv``."""
    return list(csv.DictReader(io.StringIO(text)))


# A past month: some processes above the threshold (5), some below it.
PAST_COUNTS: dict[Cell, int] = {
    ("appointments:id-card", "appointments_booked", "online"): 12,
    ("appointments:id-card", "appointments_booked", "counter"): 3,
    ("appointments:registration", "appointments_booked", "online"): 6,
    ("appointments:registration", "appointments_booked", "counter"): 7,
    ("appointments:passport", "appointments_booked", "online"): 2,
    ("permits:residents-parking", "applications_submitted", "online"): 9,
    ("permits:residents-parking", "applications_submitted", "counter"): 4,
    ("permits:id-card", "applications_submitted", "online"): 5,
    ("permits:id-card", "applications_submitted", "counter"): 1,
}


@dataclass(frozen=True)
class PublishedMonth:
    """A past month published by the operator's command, and what was counted in it."""

    month: str
    counts: dict[Cell, int]
    output: str


def publish_past_month(system) -> PublishedMonth:
    """Publish :data:`PAST_COUNTS`'s events in the previous month, wait until counted, run
    ``loket-statistics-publish`` for it."""
    month, admin = previous_month(), bearer(system, "erika")
    before = figures(system, month, admin)
    expected = {cell: count(before, *cell) + n for cell, n in PAST_COUNTS.items()}
    publish_events(system, events_for(PAST_COUNTS, month))
    wait_for_counts(system, month, expected, admin)
    done = run_tool(system, "loket-statistics-publish", "--tenant", TENANT, "--month", month)
    assert done.returncode == 0, done.stdout + done.stderr
    return PublishedMonth(month, expected, done.stdout + done.stderr)
