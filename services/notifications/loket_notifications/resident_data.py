# SPDX-License-Identifier: EUPL-1.2
"""The GDPR export: the resident's messages with their content, as plain JSON.

Erasure (:meth:`NotificationsStore.erase_subject`) deletes every message, kept link and
address mark of the resident and destroys the resident's key in this service's vault.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from .message_store import MessageStore


def plain(value: Any) -> Any:
    """``value`` as plain JSON: dates and times as ISO 8601 strings."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def export_of(messages: MessageStore, subject: str, subject_index: str | None) -> dict[str, Any]:
    """The export of ``subject``: each message as shown, with its content.

    Attachments by name and type (not their bytes).
    """
    exported = []
    for message in messages.of_subject(subject_index or ""):
        content = messages.content_of(message)
        if content is not None:
            content = {**content, "attachments": [
                {"filename": item["filename"], "content_type": item["content_type"]}
                for item in content.get("attachments") or ()]}
        exported.append({**messages.shown(message), "content": content})
    return plain({"service": "notifications", "subject": subject, "messages": exported})
