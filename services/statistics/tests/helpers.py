# SPDX-License-Identifier: EUPL-1.2
"""Shared parts of the statistics tests: events as their owners publish them, RPC errors."""
from __future__ import annotations

from typing import Any

from kombu import Connection
from nameko.exceptions import RemoteError

from loket_common.errors import parse_remote_message
from loket_common.events import Event
from loket_common.testing import runs_of
from loket_common.topology import event_exchange

TENANT = "musterstadt"
STAFF = {"subject": "staff:weber", "role": "tenant_admin"}


def event(source: str, event_type: str, data: dict[str, Any], occurred_at: str,
          tenant: str = TENANT, **envelope: Any) -> Event:
    """An event as ``source`` would send it."""
    return Event(source=source, type=event_type, tenant=tenant, data=data,
                 occurred_at=occurred_at, **envelope)


def publish(config: dict[str, Any], sent: Event) -> Event:
    """Publish ``sent`` to its source's exchange (persistent, confirmed)."""
    exchange = event_exchange(sent.source)
    with Connection(config["AMQP_URI"], transport_options={"confirm_publish": True}) as conn:
        conn.Producer().publish(sent.to_message(), exchange=exchange, routing_key=sent.type,
                                declare=[exchange], delivery_mode=2, serializer="json")
    return sent


def error_code(error: RemoteError) -> tuple[int, str]:
    """The status and stable code a remote LoketError carried."""
    payload = parse_remote_message(error.value)
    return payload.get("status"), payload.get("code")


HANDLERS = {"appointment_booked": "on_appointment_booked",
            "appointment_cancelled": "on_appointment_cancelled",
            "appointment_checked_in": "on_appointment_checked_in",
            "appointment_no_show": "on_appointment_no_show",
            "appointment_lottery_entered": "on_lottery_entered",
            "appointment_lottery_result": "on_lottery_result",
            "permit_started": "on_permit_started", "permit_submitted": "on_permit_submitted",
            "permit_status_changed": "on_permit_status_changed",
            "permit_decided": "on_permit_decided",
            "notification_sent": "on_notification_sent",
            "notification_failed": "on_notification_failed"}


def deliver(container: Any, config: dict[str, Any], events: list[Event]) -> None:
    """Publish ``events`` and wait until each has been handled (once per publication)."""
    for sent in events:
        with runs_of(container, HANDLERS[sent.type], 1):
            publish(config, sent)
