# SPDX-License-Identifier: EUPL-1.2
"""The delivery interface's value types, from ``delivery.channels`` once it is installed.

The dispatcher builds :data:`Outgoing` and reads a ``SendResult``; it is coded against the
interface (COMMON design), not against one implementation. Until the delivery package is
merged, the same frozen dataclasses stand in, so this service runs and its tests pass with
any channel that keeps the interface (the tests' recording channel).
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import Any

CHANNELS_MODULE = "loket_notifications.delivery.channels"


@dataclass(frozen=True)
class StandInAttachment:
    """``delivery.channels.Attachment``."""

    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class StandInOutgoing:
    """``delivery.channels.Outgoing``: one message to one recipient."""

    message_id: str
    tenant: str
    channel: str
    recipient: str
    sender: str
    sender_name: str
    bounce_address: str
    subject: str
    text: str
    html: str | None
    language: str
    attachments: tuple[Any, ...] = ()


def _channels() -> ModuleType | None:
    try:
        return importlib.import_module(CHANNELS_MODULE)
    except ModuleNotFoundError as error:
        if error.name != CHANNELS_MODULE:  # the module exists but is broken: say so
            raise
        return None


_module = _channels()
Attachment: Any = getattr(_module, "Attachment", StandInAttachment)
Outgoing: Any = getattr(_module, "Outgoing", StandInOutgoing)
