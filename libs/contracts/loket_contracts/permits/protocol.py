# SPDX-License-Identifier: EUPL-1.2
"""Every RPC method of the permits service, as the gateway may call it.

Each docstring names the contract schema of the answer (``applicant``: ``ApplicantSchema``,
``actor``: ``ActorSchema`` throughout). ``libs/contracts/tests`` checks this Protocol
against the service's ``@rpc`` entrypoints.
"""
from __future__ import annotations

from typing import Any, Protocol


class PermitsRpc(Protocol):
    """``permits``: application types, applicants' applications, case workers' queue."""

    def health(self) -> dict[str, Any]:
        """``{"service", "database"}``."""

    # -- application types -------------------------------------------------------------------
    def list_permit_types(self, tenant: str) -> list[dict[str, Any]]:
        """``TypeSummarySchema`` (many)."""

    def get_permit_type(self, tenant: str, type_id: str) -> dict[str, Any]:
        """``TypeSchema``."""

    # -- applicants --------------------------------------------------------------------------
    def create_application(self, tenant: str, applicant: dict[str, Any], type_id: str,
                           data: dict[str, Any],
                           on_behalf_of: dict[str, Any] | None = None) -> dict[str, Any]:
        """``on_behalf_of``: ``OnBehalfOfSchema``; answer ``ApplicationSchema``."""

    def update_draft(self, tenant: str, applicant: dict[str, Any], application_id: str,
                     data: dict[str, Any]) -> dict[str, Any]:
        """``ApplicationSchema``."""

    def add_attachment(self, tenant: str, applicant: dict[str, Any], application_id: str,
                       document_id: str, filename: str, content_base64: str) -> dict[str, Any]:
        """``document_id``, ``filename``: ``UploadSchema``; answer ``AttachmentSchema``."""

    def remove_attachment(self, tenant: str, applicant: dict[str, Any], application_id: str,
                          attachment_id: str) -> None:
        """Remove one of the applicant's files."""

    def get_attachment(self, tenant: str, application_id: str, attachment_id: str,
                       applicant: dict[str, Any] | None = None,
                       actor: dict[str, Any] | None = None) -> dict[str, Any]:
        """``FileSchema``: ``filename``, ``content_type``, ``content_base64``."""

    def submit_application(self, tenant: str, applicant: dict[str, Any],
                           application_id: str) -> dict[str, Any]:
        """``ApplicationSchema``."""

    def withdraw_application(self, tenant: str, applicant: dict[str, Any], application_id: str,
                             reason: str | None = None) -> dict[str, Any]:
        """``ApplicationSchema``."""

    def answer_information_request(self, tenant: str, applicant: dict[str, Any],
                                   application_id: str, data: dict[str, Any],
                                   message: str | None = None) -> dict[str, Any]:
        """``ApplicationSchema``."""

    def my_applications(self, tenant: str, applicant_subject: str) -> list[dict[str, Any]]:
        """``ApplicationSummarySchema`` (many), newest first."""

    def get_application(self, tenant: str, applicant_subject: str,
                        application_id: str) -> dict[str, Any]:
        """``ApplicationSchema``."""

    # -- staff at the counter (counter_staff, case_worker, tenant_admin) ----------------------
    def enter_counter_application(self, tenant: str, entry: dict[str, Any],
                                  actor: dict[str, Any]) -> dict[str, Any]:
        """``CounterReceiptSchema``: submitted at once, channel ``counter``.

        ``entry``: ``CounterEntrySchema``; ``actor``: ``CounterActorSchema``.
        """

    # -- case workers ------------------------------------------------------------------------
    def case_queue(self, tenant: str, query: dict[str, Any]) -> dict[str, Any]:
        """``query``: ``QueueQuerySchema``; answer ``CasePageSchema``."""

    def get_case(self, tenant: str, application_id: str,
                 actor: dict[str, Any] | None = None) -> dict[str, Any]:
        """``ApplicationSchema``."""

    def assign_case(self, tenant: str, application_id: str, assignee_subject: str | None,
                    actor: dict[str, Any]) -> dict[str, Any]:
        """``ApplicationSchema``."""

    def transition_case(self, tenant: str, application_id: str, to_state: str,
                        reason: str | None, actor: dict[str, Any],
                        information_request: dict[str, Any] | None = None) -> dict[str, Any]:
        """``information_request``: ``InformationRequestSchema``; ``ApplicationSchema``."""

    # -- notifications (asked at send time; not a staff access) -----------------------------
    def application_for_notification(self, tenant: str, application_id: str) -> dict[str, Any]:
        """``ApplicationNoticeSchema`` (NotFound for a draft or another tenant's id)."""

    # -- the resident's own data (GDPR) ------------------------------------------------------
    def export_subject(self, tenant: str, subject: str) -> dict[str, Any]:
        """Every application of the resident with history and files (free-form JSON)."""
