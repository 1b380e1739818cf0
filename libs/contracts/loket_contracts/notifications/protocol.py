# SPDX-License-Identifier: EUPL-1.2
"""Every RPC method of the notifications service, as the gateway (and its bounce receiver) call it.

Each docstring names the contract schema of the arguments and answer
(``loket_contracts.notifications.schemas``). ``libs/contracts/tests`` checks this Protocol
against the service's ``@rpc`` entrypoints.
"""
from __future__ import annotations

from typing import Any, Protocol


class NotificationsRpc(Protocol):
    """``notifications``: messages to residents and staff, their states, kinds, templates."""

    def health(self) -> dict[str, Any]:
        """``{"service", "database"}``."""

    # -- residents ---------------------------------------------------------------------------
    def messages_for_subject(self, tenant: str, subject: str) -> list[dict[str, Any]]:
        """The resident's messages, newest first: ``MessageSchema`` (many)."""

    def last_message_about(self, tenant: str, about_kind: str,
                           about_id: str) -> dict[str, Any] | None:
        """The newest message about a booking, entry or application, or None.

        ``MessageStatusSchema``: the manage and status pages show whether it was delivered.
        """

    # -- staff -------------------------------------------------------------------------------
    def messages_about(self, tenant: str, about_kind: str, about_id: str,
                       actor: dict[str, Any]) -> dict[str, Any]:
        """What was sent about it and whether the address bounced: ``CaseMessagesSchema``.

        ``actor``: ``{"subject", "role", "name"}`` (the read is reported as
        ``personal_data_accessed``).
        """

    def resend_message(self, tenant: str, message_id: str,
                       actor: dict[str, Any]) -> dict[str, Any]:
        """Send a failed (or bounced) message again, to the address its owner has now.

        Answer ``MessageStatusSchema`` (``queued``); ``actor``: ``{"subject", "role"}``.
        """

    # -- operators (no personal data) ----------------------------------------------------------
    def message_counts(self, tenant: str | None) -> dict[str, Any]:
        """``StateCountsSchema``; ``tenant`` None counts every tenant."""

    def failed_messages(self, tenant: str | None, limit: int,
                        after: str | None) -> dict[str, Any]:
        """Permanent failures, oldest first: ``FailedPageSchema``."""

    # -- tenant admins -----------------------------------------------------------------------
    def list_kinds(self, tenant: str) -> list[dict[str, Any]]:
        """Every kind and whether the tenant sends it: ``KindSchema`` (many)."""

    def set_kind_enabled(self, tenant: str, kind: str, enabled: bool,
                         actor: dict[str, Any]) -> dict[str, Any]:
        """Switch a kind on or off for the tenant: ``KindSchema``."""

    def preview_templates(self, tenant: str) -> list[dict[str, Any]]:
        """Every template in every language of the tenant, with sample data.

        ``PreviewSchema`` (many).
        """

    # -- relays' reports -----------------------------------------------------------------------
    def record_delivery_report(self, tenant: str, report: dict[str, Any]) -> dict[str, Any]:
        """A relay's report on a message (bounced, delivered).

        ``report``: ``DeliveryReportSchema``; answer ``MessageStatusSchema`` (NotFound for an
        unknown message).
        """

    # -- GDPR --------------------------------------------------------------------------------
    def export_subject(self, tenant: str, subject: str) -> dict[str, Any]:
        """Everything notifications holds about the resident (the messages with content)."""
