# SPDX-License-Identifier: EUPL-1.2
"""Entrypoints of the profile service: residents' own data, consents, access log, GDPR rights.

Every RPC takes the tenant first, then the resident's pseudonymous ``subject`` (the gateway
derives it at sign-in; no other id of a resident exists outside this service).
"""
from __future__ import annotations

from typing import Any

from nameko.dependency_providers import Config

from loket_common import health
from loket_common.events import event_from_message
from loket_common.handlers import reliable_event_handler
from loket_common.outbox import OutboxRelay
from loket_common.sealed_rpc import rpc
from loket_common.tenant import checked_tenant
from loket_common.validation import load
from loket_contracts.profile.schemas import (
    REQUIRED_FIELDS,
    BusinessPayloadSchema,
    ProfileUpdateSchema,
    SignInClaimsSchema,
    StaffAccessSchema,
    StaffClaimsSchema,
)

from . import export
from .dependencies import ProfileDatabase
from .erasure import DEFAULT_SERVICES
from .exceptions import ErasureInProgress
from .schemas import checked_staff_subject, checked_subject, field_descriptions


class ProfileService(health.HealthMixin):
    """Residents' and businesses' own data."""

    name = "profile"

    store = ProfileDatabase()
    relay = OutboxRelay()
    config = Config()

    # -- person profiles -------------------------------------------------------------------

    @rpc
    def sign_in(self, tenant: str, subject: str, claims: dict[str, Any]) -> dict[str, Any]:
        """Record a sign-in; the first one creates the profile from the identity's claims."""
        tenant, subject = checked_tenant(tenant), checked_subject(subject)
        claims = load(SignInClaimsSchema(), claims)
        if self.store.erasures.running(tenant, subject):
            raise ErasureInProgress("Your data is being erased; sign in again when it is done.")
        profile = self.store.profiles.sign_in(tenant, subject, claims)
        self.relay.nudge()
        return profile

    @rpc
    def get_profile(self, tenant: str, subject: str) -> dict[str, Any]:
        """The resident's own profile (``profile_not_found`` before the first sign-in)."""
        return self.store.profiles.get(checked_tenant(tenant), checked_subject(subject))

    @rpc
    def update_profile(self, tenant: str, subject: str,
                       payload: dict[str, Any]) -> dict[str, Any]:
        """Change any of the profile's fields; invalid fields are named in the error."""
        tenant, subject = checked_tenant(tenant), checked_subject(subject)
        changes = load(ProfileUpdateSchema(), payload)
        return self.store.profiles.update(tenant, subject, changes)

    @rpc
    def profile_fields(self) -> list[dict[str, Any]]:
        """Each profile field with why we ask (German, English) and whether it is required.

        The address also lists its parts (``fields``), each with its own why.
        """
        return field_descriptions(ProfileUpdateSchema(), REQUIRED_FIELDS)

    # -- businesses ------------------------------------------------------------------------

    @rpc
    def list_businesses(self, tenant: str, subject: str) -> list[dict[str, Any]]:
        """The businesses the resident represents."""
        return self.store.businesses.list(checked_tenant(tenant), checked_subject(subject))

    @rpc
    def save_business(self, tenant: str, subject: str, business_id: str | None,
                      payload: dict[str, Any]) -> dict[str, Any]:
        """Create a business (``business_id`` None; the resident represents it) or replace it."""
        tenant, subject = checked_tenant(tenant), checked_subject(subject)
        details = load(BusinessPayloadSchema(), payload)
        return self.store.businesses.save(tenant, subject,
                                          None if business_id is None else str(business_id),
                                          details)

    @rpc
    def add_representative(self, tenant: str, subject: str, business_id: str,
                           representative_subject: str) -> dict[str, Any]:
        """Let another resident represent a business the caller represents."""
        tenant, subject = checked_tenant(tenant), checked_subject(subject)
        other = checked_subject(representative_subject, "representative_subject")
        return self.store.businesses.add_representative(tenant, subject, str(business_id), other)

    # -- consents --------------------------------------------------------------------------

    @rpc
    def list_consents(self, tenant: str, subject: str) -> list[dict[str, Any]]:
        """Every purpose with its texts and whether (and when) the resident consented."""
        return self.store.consents.list(checked_tenant(tenant), checked_subject(subject))

    @rpc
    def give_consent(self, tenant: str, subject: str, purpose: str) -> dict[str, Any]:
        """Consent to ``purpose``."""
        return self.store.consents.give(checked_tenant(tenant), checked_subject(subject), purpose)

    @rpc
    def withdraw_consent(self, tenant: str, subject: str, purpose: str) -> dict[str, Any]:
        """Withdraw consent to ``purpose``."""
        return self.store.consents.withdraw(checked_tenant(tenant), checked_subject(subject),
                                            purpose)

    # -- access log ------------------------------------------------------------------------

    @rpc
    def access_log(self, tenant: str, subject: str) -> list[dict[str, Any]]:
        """Who read the resident's data, newest first."""
        return self.store.access_log.list(checked_tenant(tenant), checked_subject(subject))

    @rpc
    def staff_view_profile(self, tenant: str, subject: str, actor: dict[str, str],
                           purpose: str) -> dict[str, Any]:
        """A resident's profile for staff; the read is logged first, with who and why."""
        tenant, subject = checked_tenant(tenant), checked_subject(subject)
        access = load(StaffAccessSchema(), {"actor": actor, "purpose": purpose})
        profile = self.store.profiles.get(tenant, subject)
        self.store.access_log.record(tenant, subject, access["actor"], access["purpose"],
                                     "profile", "profile")
        return profile

    @reliable_event_handler("appointments", "personal_data_accessed")
    def record_appointments_access(self, body: dict[str, Any]) -> None:
        """Log a staff read reported by appointments."""
        self._record_access(body)

    @reliable_event_handler("permits", "personal_data_accessed")
    def record_permits_access(self, body: dict[str, Any]) -> None:
        """Log a staff read reported by permits."""
        self._record_access(body)

    @reliable_event_handler("notifications", "personal_data_accessed")
    def record_notifications_access(self, body: dict[str, Any]) -> None:
        """Log a staff read reported by notifications (a case worker opened a message)."""
        self._record_access(body)

    def _record_access(self, body: dict[str, Any]) -> None:
        self.store.access_log.record_reported(event_from_message(body),
                                              known=self.store.profiles.exists)

    # -- notifications -----------------------------------------------------------------------

    @rpc
    def contact_for_notification(self, tenant: str, subject: str) -> dict[str, Any] | None:
        """Where and how to notify the resident: email, phone, name, language, channel, consents.

        For the notifications service at send time; a machine's read, not a staff access
        (no access log entry). None without a profile.
        """
        tenant, subject = checked_tenant(tenant), checked_subject(subject)
        contact = self.store.profiles.notification_contact(tenant, subject)
        if contact is None:
            return None
        return {**contact, "consents": self.store.consents.given(tenant, subject)}

    @rpc
    def record_staff_contact(self, tenant: str, subject: str, claims: dict[str, Any]) -> None:
        """Keep a staff member's email, name and language from their sign-in (encrypted)."""
        tenant, subject = checked_tenant(tenant), checked_staff_subject(subject)
        self.store.staff_contacts.record(tenant, subject, load(StaffClaimsSchema(), claims))

    @rpc
    def staff_contact(self, tenant: str, subject: str) -> dict[str, Any] | None:
        """A staff member's ``{email, name, language}``, or None before their first sign-in."""
        return self.store.staff_contacts.get(checked_tenant(tenant),
                                             checked_staff_subject(subject))

    # -- GDPR: export and erasure ----------------------------------------------------------

    @rpc
    def export_subject(self, tenant: str, subject: str) -> dict[str, Any]:
        """Everything profile holds about the resident, as JSON."""
        return export.export_subject(self.store, checked_tenant(tenant), checked_subject(subject))

    @rpc
    def request_erasure(self, tenant: str, subject: str) -> dict[str, Any]:
        """Start erasing the resident everywhere (a running request is returned instead)."""
        tenant, subject = checked_tenant(tenant), checked_subject(subject)
        request = self.store.erasures.request(
            tenant, subject, self._erasure_services(),
            self.store.profiles.notification_contact(tenant, subject))
        self.relay.nudge()
        return request

    @rpc
    def erasure_status(self, tenant: str, subject: str) -> dict[str, Any] | None:
        """The resident's latest erasure request and each service's progress, or None."""
        return self.store.erasures.status(checked_tenant(tenant), checked_subject(subject))

    @reliable_event_handler("profile", "erasure_requested")
    def erase_subject(self, body: dict[str, Any]) -> None:
        """Erase what profile holds of the subject and confirm it."""
        self.store.erasures.erase(event_from_message(body), [self.store.erase_subject])
        self.relay.nudge()

    @reliable_event_handler("appointments", "erasure_completed")
    def confirm_appointments_erasure(self, body: dict[str, Any]) -> None:
        """The appointments service has erased its part."""
        self.store.erasures.confirm(event_from_message(body), "appointments")

    @reliable_event_handler("permits", "erasure_completed")
    def confirm_permits_erasure(self, body: dict[str, Any]) -> None:
        """The permits service has erased its part."""
        self.store.erasures.confirm(event_from_message(body), "permits")

    @reliable_event_handler("notifications", "erasure_completed")
    def confirm_notifications_erasure(self, body: dict[str, Any]) -> None:
        """The notifications service has erased its part."""
        self.store.erasures.confirm(event_from_message(body), "notifications")

    @reliable_event_handler("profile", "erasure_finished")
    def forget_finished_erasure(self, body: dict[str, Any]) -> None:
        """``erasure_finished`` (it names the subject) is published: drop it from the outbox."""
        self.store.erasures.forget_finished(event_from_message(body))

    @reliable_event_handler("profile", "erasure_completed")
    def confirm_profile_erasure(self, body: dict[str, Any]) -> None:
        """The profile service itself has erased its part (``erase_subject``)."""
        self.store.erasures.confirm(event_from_message(body), "profile")

    def _erasure_services(self) -> list[str]:
        """The services that must confirm an erasure (``ERASURE_SERVICES``)."""
        value = self.config.get("ERASURE_SERVICES") or DEFAULT_SERVICES
        if isinstance(value, str):
            value = value.split(",")
        return [name.strip() for name in value if name.strip()]
