# SPDX-License-Identifier: EUPL-1.2
"""Sending one claimed message: recipient, rendering, channel, and the state it ends in.

The first try asks the owner for the recipient (:mod:`.recipients`), renders the message
and keeps its content encrypted (the sealed token is then dropped); later tries send the
kept content again, a resend asks for the recipient's current address first (and renders
again when the recipient's channel changed: an SMS is the ``sms_text``). Every
outcome is written only while this claim still holds the message (its ``lease_id``).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from loket_common.logs import get_logger

from .contexts import context_for
from .delivery.channels import Attachment, Outgoing
from .message_store import EPOCH, MessageStore
from .messages import RetryPolicy, after_failure, moved, outcome_update
from .recipients import NotSent, Recipient, Recipients, Unavailable
from .tenant_config import TenantConfigs, language_of

log = get_logger(__name__)
# Kept only until it is sent: the person asked for everything to be erased. Its content is
# its only copy of the address (the sealed contact is dropped once rendered), so it stays
# through temporary failures and goes with the message's final state.
SHORT_LIVED = ("erasure_completed",)
DROP_CONTENT = {"content": None, "subject_line": None, "content_kept_until": None}


@dataclass(frozen=True)
class SendParts:
    """What a sender needs besides the message: the worker's dependencies and options."""

    store: Any  # NotificationsStore
    recipients: Recipients
    renderer: Any  # rendering.Renderer
    channels: Any  # wiring.ChannelSet: for_tenant(tenant, channel) -> Channel
    tenants: TenantConfigs
    policy: RetryPolicy
    retention: timedelta
    private_key: str
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)


class Sender:
    """Takes one claimed message to its next state."""

    def __init__(self, parts: SendParts) -> None:
        self.parts = parts

    def send(self, message: dict[str, Any]) -> str:
        """Send ``message`` (claimed: state ``sending``); return the state it ended in."""
        parts, tenant_id = self.parts, message["tenant"]
        messages: MessageStore = parts.store.messages(tenant_id)
        tenant = parts.tenants.get(tenant_id)
        if tenant is None:
            return self._end(messages, message, moved("not_sent", parts.clock(), None,
                                                      "unknown_tenant", next_try_at=None,
                                                      lease_until=EPOCH))
        content = messages.content_of(message)
        if content is None and message.get("content"):
            return self._end(messages, message, moved("not_sent", parts.clock(), None,
                                                      "erased", next_try_at=None,
                                                      lease_until=EPOCH))
        if content is None or message.get("resolve_again"):
            try:
                content = self._prepare(messages, message, tenant, content)
            except NotSent as refused:
                return self._end(messages, message, moved(
                    "not_sent", parts.clock(), None, refused.detail, next_try_at=None,
                    lease_until=EPOCH))
            except Unavailable as down:
                return self._end(messages, message, after_failure(
                    message, parts.policy, parts.clock(), None, down.detail))
        return self._deliver(messages, message, tenant, content)

    def _prepare(self, messages: MessageStore, message: dict[str, Any],
                 tenant: dict[str, Any], content: dict[str, Any] | None) -> dict[str, Any]:
        """Resolve the recipient; render unless the content is kept; keep it encrypted."""
        parts = self.parts
        recipient = parts.recipients.resolve(message)
        language = language_of(tenant, recipient.language)
        if content is None or recipient.channel != message["channel"]:
            content = self._render(message, recipient, tenant, language)
        else:
            language = message.get("language") or language
            content = {**content, "recipient": recipient.address}
        now = parts.clock()
        messages.keep_content(message, content, language, now + parts.retention, now,
                              channel=recipient.channel)
        message["language"], message["channel"] = language, recipient.channel
        return content

    def _render(self, message: dict[str, Any], recipient: Recipient, tenant: dict[str, Any],
                language: str) -> dict[str, Any]:
        """The content for ``recipient``'s channel: an email's parts, or an SMS's text."""
        parts = self.parts
        context = context_for(message, recipient, tenant, language,
                              parts.store.links(message["tenant"]), parts.private_key)
        try:
            rendered = parts.renderer.render(message["kind"], language, tenant, context)
            if recipient.channel == "sms":  # the subject stays: it names the message to residents
                text = parts.renderer.sms_text(message["kind"], language, tenant, context)
                return {"recipient": recipient.address, "subject": rendered.subject,
                        "text": text, "html": None, "attachments": []}
        except Exception:
            log.exception("rendering failed", message_id=message["id"], kind=message["kind"])
            raise Unavailable("render_error") from None
        return {"recipient": recipient.address, "subject": rendered.subject,
                "text": rendered.text, "html": rendered.html,
                "attachments": [{"filename": item.filename, "content_type": item.content_type,
                                 "data": bytes(item.data)} for item in rendered.attachments]}

    def _deliver(self, messages: MessageStore, message: dict[str, Any],
                 tenant: dict[str, Any], content: dict[str, Any]) -> str:
        parts = self.parts
        sender = tenant.get("sender") or {}
        outgoing = Outgoing(
            message_id=message["id"], tenant=message["tenant"], channel=message["channel"],
            recipient=content["recipient"], sender=sender.get("address", ""),
            sender_name=sender.get("name", ""), bounce_address=tenant.get("bounce_address", ""),
            subject=content["subject"], text=content["text"], html=content.get("html"),
            language=message.get("language") or tenant["default_language"],
            attachments=tuple(Attachment(item["filename"], item["content_type"], item["data"])
                              for item in content.get("attachments") or ()))
        try:
            channel = parts.channels.for_tenant(tenant, message["channel"])
            result = channel.send(outgoing)
            outcome, relay, detail = result.outcome, result.relay, result.detail
        except Exception:  # a broken channel must not leave the message in ``sending``
            log.exception("channel failed", message_id=message["id"])
            outcome, relay, detail = "temporary_failure", None, "channel_error"
        update = outcome_update(message, outcome, relay, detail, parts.policy, parts.clock())
        if message["kind"] in SHORT_LIVED and update["$set"]["state"] != "temporary_failure":
            update["$set"].update(DROP_CONTENT)
        return self._end(messages, message, update)

    @staticmethod
    def _end(messages: MessageStore, message: dict[str, Any], update: dict[str, Any]) -> str:
        state = update["$set"]["state"]
        if not messages.finish(message, update):
            log.warning("message taken over before it was finished", message_id=message["id"])
        log.info("message tried", message_id=message["id"], kind=message["kind"], state=state,
                 detail=update["$set"].get("last_detail"), attempt=message.get("attempts"))
        return state
