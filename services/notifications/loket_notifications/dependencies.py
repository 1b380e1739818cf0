# SPDX-License-Identifier: EUPL-1.2
"""The notifications store: messages, kept links, address marks and kind switches.

Events become message records here, in the transaction that marks the event handled
(:meth:`NotificationsStore.take_in`): the outbox pattern, so a decision to send is never
lost and never made twice.
"""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pymongo.client_session import ClientSession

from loket_common.data_protection import erase_once, forget_outbox_entries
from loket_common.events import Event
from loket_common.handlers import ensure_handled_index, handle_once
from loket_common.mongo import MongoDatabase, Store
from loket_common.outbox import add_to_outbox

from .address_marks import AddressMarks, ensure_mark_indexes
from .delivery_facts import SOURCE
from .intake import intake_of
from .kinds import KindSwitches, ensure_switch_indexes
from .links import Links, ensure_link_indexes
from .message_store import MessageStore, ensure_message_indexes
from .messages import new_message
from .resident_data import export_of
from .tenant_config import TenantConfigs


class NotificationsStore(Store):
    """The notifications database, one tenant's part at a time."""

    def messages(self, tenant: str) -> MessageStore:
        """The tenant's messages."""
        return MessageStore(self.database, self.cipher, tenant)

    def links(self, tenant: str) -> Links:
        """The tenant's kept tokens."""
        return Links(self.database, tenant)

    def marks(self, tenant: str) -> AddressMarks:
        """The tenant's bounced addresses."""
        return AddressMarks(self.database, self.cipher, tenant)

    def switches(self, tenant: str, tenants: TenantConfigs) -> KindSwitches:
        """Which kinds the tenant sends."""
        config = tenants.get(tenant) or {}
        return KindSwitches(self.database, tenant, config.get("kinds") or {})

    def subject_index(self, tenant: str, subject: str | None) -> str | None:
        """The blind index by which a resident's records are found (None: no resident)."""
        return self.cipher.blind_index(tenant, "subject:" + subject) if subject else None

    def ensure_indexes(self) -> None:
        """Indexes start with the tenant (the dispatcher's and retention's span tenants)."""
        for ensure in (ensure_message_indexes, ensure_link_indexes, ensure_mark_indexes,
                       ensure_switch_indexes, ensure_handled_index):
            ensure(self.database)

    def take_in(self, event: Event, handler: str, tenants: TenantConfigs,
                now: datetime | None = None) -> list[str]:
        """Record the messages ``event`` causes, once; return the ids of those recorded.

        A tenant without a file, or one that switched the kind off, gets no record.
        """
        intake = intake_of(event)
        tenant = event.tenant
        switches = self.switches(tenant, tenants)
        configured = tenants.get(tenant) is not None
        recorded: list[str] = []

        def apply(session: ClientSession) -> None:
            recorded.clear()
            at = now or datetime.now(UTC)
            links = self.links(tenant)
            for change in intake.links:
                if change.sealed_token:
                    links.keep(change.kind, change.reference, change.sealed_token,
                               self.subject_index(tenant, change.subject),
                               change.expires_at or at, session)
                elif change.expires_at is not None:
                    links.links.update_one({"kind": change.kind, "reference": change.reference},
                                           {"$set": {"expires_at": change.expires_at}},
                                           session=session)
                else:
                    links.forget(change.kind, change.reference, session)
            for plan in intake.plans:
                if not configured or not switches.enabled(plan.kind, session):
                    continue
                record = new_message(tenant, plan.kind, {"kind": plan.about_kind,
                                                         "id": plan.about_id},
                                     event.id, plan.subject,
                                     self.subject_index(tenant, plan.subject), plan.facts,
                                     plan.sealed_token, at)
                self.messages(tenant).insert(record, session)
                recorded.append(record["id"])

        if not intake.plans and not intake.links:
            return []
        handle_once(self.database, event, handler, apply)
        return recorded

    def report_access(self, event: Event, session: ClientSession) -> None:
        """Put a ``personal_data_accessed`` event into the outbox."""
        add_to_outbox(self.database, event, session)

    def export_subject(self, tenant: str, subject: str) -> dict[str, Any]:
        """Everything held about ``subject``: the messages with their content."""
        return export_of(self.messages(tenant), subject, self.subject_index(tenant, subject))

    def erase_subject(self, event: Event) -> bool:
        """Delete every message, kept link and address mark of the subject; shred its key."""
        tenant = event.tenant

        def erase(subject: str, session: ClientSession) -> tuple[int, int]:
            index = self.subject_index(tenant, subject) or ""
            deleted = (self.messages(tenant).erase(index, session)
                       + self.links(tenant).erase(index, session)
                       + self.marks(tenant).erase(index, session))
            forget_outbox_entries(self.database, tenant, subject, session)
            self.cipher.destroy(tenant, [subject], session)  # a copy taken before is unreadable
            return deleted, 0

        return erase_once(self.database, event, SOURCE, erase)


class NotificationsDatabase(MongoDatabase):
    """Workers get a :class:`NotificationsStore`."""

    store_class = NotificationsStore
