# SPDX-License-Identifier: EUPL-1.2
"""The event envelope every Loket event travels in."""
from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from marshmallow import Schema, fields


@dataclass(frozen=True)
class Event:
    """A fact that happened: ``<source>.<type>`` in past tense, e.g. ``profile.profile_created``.

    ``data`` carries no names or addresses, only pseudonymous subject ids and
    what consumers need (see ARCHITECTURE: PII lives only in profile).
    ``correlation_id`` is the request id of the request (or of the event) that
    caused this one; the outbox fills it in (None in messages older than it).
    """

    source: str
    type: str
    tenant: str
    data: dict[str, Any]
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    occurred_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())
    version: int = 1
    correlation_id: str | None = None

    def to_message(self) -> dict[str, Any]:
        """The JSON body published to RabbitMQ."""
        return asdict(self)


class EventSchema(Schema):
    """Validates an envelope arriving at a consumer."""

    id = fields.UUID(required=True)
    source = fields.String(required=True)
    type = fields.String(required=True)
    tenant = fields.String(required=True)
    occurred_at = fields.String(required=True)
    version = fields.Integer(required=True)
    data = fields.Dict(required=True)
    correlation_id = fields.String(load_default=None, allow_none=True)


def event_from_message(body: dict[str, Any]) -> Event:
    """Validate a message body and return the :class:`Event` it carries."""
    loaded = EventSchema().load(body)
    loaded["id"] = str(loaded["id"])
    return Event(**loaded)
