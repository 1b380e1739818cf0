# SPDX-License-Identifier: EUPL-1.2
"""Every RPC method of the profile service, as the gateway may call it.

Every method takes the tenant first, then the resident's pseudonymous ``subject``. Each
docstring names the contract schema of the answer. ``libs/contracts/tests`` checks this
Protocol against the service's ``@rpc`` entrypoints.
"""
from __future__ import annotations

from typing import Any, Protocol


class ProfileRpc(Protocol):
    """``profile``: residents' and businesses' own data, consents, access log, GDPR rights."""

    def health(self) -> dict[str, Any]:
        """``{"service", "database"}``."""

    # -- person profiles ---------------------------------------------------------------------
    def sign_in(self, tenant: str, subject: str, claims: dict[str, Any]) -> dict[str, Any]:
        """``claims``: ``SignInClaimsSchema``; answer ``ProfileSchema``."""

    def get_profile(self, tenant: str, subject: str) -> dict[str, Any]:
        """``ProfileSchema``."""

    def update_profile(self, tenant: str, subject: str,
                       payload: dict[str, Any]) -> dict[str, Any]:
        """``payload``: ``ProfileUpdateSchema``; answer ``ProfileSchema``."""

    def profile_fields(self) -> list[dict[str, Any]]:
        """``ProfileFieldSchema`` (many)."""

    # -- businesses --------------------------------------------------------------------------
    def list_businesses(self, tenant: str, subject: str) -> list[dict[str, Any]]:
        """``BusinessSchema`` (many)."""

    def save_business(self, tenant: str, subject: str, business_id: str | None,
                      payload: dict[str, Any]) -> dict[str, Any]:
        """``payload``: ``BusinessPayloadSchema``; answer ``BusinessSchema``."""

    def add_representative(self, tenant: str, subject: str, business_id: str,
                           representative_subject: str) -> dict[str, Any]:
        """``BusinessSchema``."""

    # -- consents ----------------------------------------------------------------------------
    def list_consents(self, tenant: str, subject: str) -> list[dict[str, Any]]:
        """``ConsentSchema`` (many)."""

    def give_consent(self, tenant: str, subject: str, purpose: str) -> dict[str, Any]:
        """``ConsentSchema``."""

    def withdraw_consent(self, tenant: str, subject: str, purpose: str) -> dict[str, Any]:
        """``ConsentSchema``."""

    # -- access log --------------------------------------------------------------------------
    def access_log(self, tenant: str, subject: str) -> list[dict[str, Any]]:
        """``AccessLogEntrySchema`` (many), newest first."""

    def staff_view_profile(self, tenant: str, subject: str, actor: dict[str, str],
                           purpose: str) -> dict[str, Any]:
        """``actor``, ``purpose``: ``StaffAccessSchema``; answer ``ProfileSchema``."""

    # -- notifications (asked at send time; never logged as a staff access) ----------------
    def contact_for_notification(self, tenant: str, subject: str) -> dict[str, Any] | None:
        """``NotificationContactSchema``, or None without a profile."""

    def record_staff_contact(self, tenant: str, subject: str, claims: dict[str, Any]) -> None:
        """``claims``: ``StaffClaimsSchema`` (at every staff sign-in); stored encrypted."""

    def staff_contact(self, tenant: str, subject: str) -> dict[str, Any] | None:
        """``StaffContactSchema``, or None if the staff member never signed in."""

    # -- GDPR: export and erasure ------------------------------------------------------------
    def export_subject(self, tenant: str, subject: str) -> dict[str, Any]:
        """Everything profile holds about the resident (free-form JSON)."""

    def request_erasure(self, tenant: str, subject: str) -> dict[str, Any]:
        """``ErasureSchema``."""

    def erasure_status(self, tenant: str, subject: str) -> dict[str, Any] | None:
        """``ErasureSchema``, or None before any request."""
