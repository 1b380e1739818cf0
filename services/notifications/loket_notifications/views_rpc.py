# SPDX-License-Identifier: EUPL-1.2
"""What residents, staff, operators and tenant admins see of messages (``NotificationsRpc``).

Residents and case workers see subject lines and history; a case worker's read is reported
as ``personal_data_accessed`` (profile keeps it for the resident's access log). Operators
see states and counts only (``MessageStatusSchema``), never a person.
"""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from loket_common.data_protection import access_event, checked_subject, is_resident_subject
from loket_common.errors import NotFound, ValidationFailed
from loket_common.mongo import transaction
from loket_common.outbox import OutboxRelay
from loket_common.sealed_rpc import rpc
from loket_common.tenant import checked_tenant
from loket_common.validation import load
from loket_contracts.notifications.schemas import ABOUT_KINDS, DeliveryReportSchema

from .dependencies import SOURCE, NotificationsStore
from .dispatcher import Wakeup
from .exceptions import MessageNotFound
from .messages import status_of
from .recipients import NotSent, Recipients, Unavailable
from .runtime import Runtime


def _about_kind(value: Any) -> str:
    if value not in ABOUT_KINDS:
        raise ValidationFailed("Unknown kind of thing.", invalid_params=[
            {"name": "about_kind", "reason": f"One of {', '.join(ABOUT_KINDS)}."}])
    return str(value)


def _actor(actor: Any) -> dict[str, Any]:
    if not isinstance(actor, dict) or not actor.get("role"):
        raise ValidationFailed("Who is acting?", invalid_params=[
            {"name": "actor", "reason": "An object with at least a role."}])
    return actor


class ViewsRpc:
    """Adds the reading RPCs and the staff's and admins' actions."""

    store: NotificationsStore
    runtime: Runtime
    dispatch: Wakeup
    relay: OutboxRelay
    renderer: Any
    permits: Any
    profile: Any
    appointments: Any

    # -- residents ---------------------------------------------------------------------------
    @rpc
    def messages_for_subject(self, tenant: str, subject: str) -> list[dict[str, Any]]:
        """The resident's messages, newest first (``MessageSchema``)."""
        tenant, subject = checked_tenant(tenant), checked_subject(subject)
        messages = self.store.messages(tenant)
        index = self.store.subject_index(tenant, subject) or ""
        return [messages.shown(message) for message in messages.of_subject(index)]

    @rpc
    def last_message_about(self, tenant: str, about_kind: str,
                           about_id: str) -> dict[str, Any] | None:
        """The newest message about a booking, entry or application, without content."""
        found = self.store.messages(checked_tenant(tenant)).about(_about_kind(about_kind),
                                                                  str(about_id))
        return status_of(found[0]) if found else None

    # -- staff -------------------------------------------------------------------------------
    @rpc
    def messages_about(self, tenant: str, about_kind: str, about_id: str,
                       actor: dict[str, Any]) -> dict[str, Any]:
        """What was sent about it and whether the address bounced; the read is reported."""
        tenant, actor = checked_tenant(tenant), _actor(actor)
        messages = self.store.messages(tenant)
        found = messages.about(_about_kind(about_kind), str(about_id))
        subjects = sorted({message["key_owner"] for message in found
                           if is_resident_subject(message.get("key_owner"))})
        if subjects:
            with transaction(self.store.database) as session:
                for subject in subjects:
                    self.store.report_access(access_event(
                        SOURCE, tenant, subject, actor, "case_messages",
                        f"{about_kind}:{about_id}"), session)
            self.relay.nudge()
        return {"messages": [messages.shown(message) for message in found],
                "address_bounced": self._bounced(tenant, about_kind, str(about_id), found)}

    def _bounced(self, tenant: str, about_kind: str, about_id: str,
                 found: list[dict[str, Any]]) -> bool:
        """The applicant's current address bounced (else: any address of the subject did)."""
        marks = self.store.marks(tenant)
        index = next((message["subject_index"] for message in found
                      if message.get("subject_index")), None)
        address = None
        if about_kind == "application":
            recipients = Recipients(self.appointments, self.permits, self.profile,
                                    self.runtime.private_key)
            try:
                address = recipients.resolve({"kind": "permit_submitted", "tenant": tenant,
                                              "facts": {"application_id": about_id}}).address
            except (NotSent, Unavailable):
                address = None
        return marks.bounced(address, index)

    @rpc
    def resend_message(self, tenant: str, message_id: str,
                       actor: dict[str, Any]) -> dict[str, Any]:
        """Queue a failed or bounced message again, to the owner's current address."""
        tenant, actor = checked_tenant(tenant), _actor(actor)
        message = self.store.messages(tenant).resend(str(message_id), actor.get("role"),
                                                     datetime.now(UTC))
        self.dispatch.nudge()
        return status_of(message)

    # -- operators ---------------------------------------------------------------------------
    @rpc
    def message_counts(self, tenant: str | None) -> dict[str, Any]:
        """Messages per state, of one tenant or of all."""
        tenant = None if tenant is None else checked_tenant(tenant)
        return {"tenant": tenant, "counts": self.store.messages(tenant or "-").counts(
            self.store.database, tenant)}

    @rpc
    def failed_messages(self, tenant: str | None, limit: int,
                        after: str | None) -> dict[str, Any]:
        """Permanent failures, oldest first, a page at a time."""
        tenant = None if tenant is None else checked_tenant(tenant)
        try:
            limit = int(limit)
        except (TypeError, ValueError):
            raise ValidationFailed("limit is a whole number.") from None
        return self.store.messages(tenant or "-").failed(
            self.store.database, tenant, limit, None if after is None else str(after))

    # -- tenant admins -----------------------------------------------------------------------
    @rpc
    def list_kinds(self, tenant: str) -> list[dict[str, Any]]:
        """Every kind and whether the tenant sends it."""
        tenant = checked_tenant(tenant)
        return self.store.switches(tenant, self.runtime.tenants).list()

    @rpc
    def set_kind_enabled(self, tenant: str, kind: str, enabled: bool,
                         actor: dict[str, Any]) -> dict[str, Any]:
        """Switch a kind on or off for the tenant."""
        tenant, actor = checked_tenant(tenant), _actor(actor)
        if not isinstance(enabled, bool):
            raise ValidationFailed("enabled is true or false.")
        return self.store.switches(tenant, self.runtime.tenants).set(str(kind), enabled,
                                                                     actor.get("role"))

    @rpc
    def preview_templates(self, tenant: str) -> list[dict[str, Any]]:
        """Every template in every language of the tenant, with sample data."""
        config = self.runtime.tenants.get(checked_tenant(tenant))
        if config is None:
            return []
        return list(self.renderer.preview(config, config["languages"]))

    # -- relays' reports ---------------------------------------------------------------------
    @rpc
    def record_delivery_report(self, tenant: str, report: dict[str, Any]) -> dict[str, Any]:
        """A relay's report: bounced (the address is marked), delivered, or history only."""
        tenant = checked_tenant(tenant)
        report = load(DeliveryReportSchema(), report)
        messages = self.store.messages(tenant)
        try:
            message = messages.report(report["message_id"], report["action"],
                                      report["status"], datetime.now(UTC))
        except MessageNotFound:
            # plain NotFound, as the contract says: the bounce receiver drops it (an erased
            # person's message, another system's) instead of asking the relay to retry
            raise NotFound("No message with this id.") from None
        self.relay.nudge()  # a first delivery or a bounce is told through the outbox
        if message["state"] == "bounced":
            content = messages.content_of(message) or {}
            address = content.get("recipient") or report.get("recipient")
            if address:
                self.store.marks(tenant).mark(address, message.get("subject_index"),
                                              datetime.now(UTC))
        return status_of(message)
