# SPDX-License-Identifier: EUPL-1.2
"""Who gets a message, and the facts it tells, asked of the owning service at send time.

Events carry no personal data; the first attempt to send asks appointments, permits or
profile by RPC (COMMON design: ``booking_for_notification``, ``lottery_entry_for_notification``,
``application_for_notification``, ``contact_for_notification``, ``staff_contact``). An owner
that does not answer makes the try a temporary failure (:class:`Unavailable`); a person
without an address, who chose post, or without the consent a kind needs is
:class:`NotSent` with a detail code.

An applicant who chose SMS gets the permit kinds as an SMS to the profile's phone (E.164)
when the service has an SMS provider (``NOTIFICATIONS_SMS_URL``); without one, by email if
the profile has an address, else not at all (``no_sms_provider``). Bookings and lotteries
stay email: the booking form asks for no phone.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from nameko.exceptions import RemoteError, UnknownService

from loket_common.errors import parse_remote_message
from loket_common.sealed_rpc import RpcTimeout

from .kinds import TABLE, kind_of
from .links import opened
from .phones import e164


def _kinds(about: str, audience: str = "resident") -> tuple[str, ...]:
    """The kinds about ``about`` for ``audience``, from the one table in :mod:`.kinds`."""
    return tuple(kind.id for kind in TABLE.values()
                 if kind.about == about and kind.audience == audience)


BOOKING_KINDS = _kinds("booking")
LOTTERY_KINDS = _kinds("lottery_entry")
PERMIT_KINDS = _kinds("application")  # the applicant's; case_assigned goes to staff


class NotSent(Exception):
    """The message is not sent: ``detail`` says why (a code)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class Unavailable(Exception):
    """The owning service did not answer: try again later."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


@dataclass(frozen=True)
class Recipient:
    """Where a message goes, in which language, and what the owner told about its matter.

    ``address`` is an email address, or an E.164 number when ``channel`` is ``sms``.
    """

    address: str
    name: str | None
    language: str | None
    facts: dict[str, Any] = field(default_factory=dict)
    channel: str = "email"


class Recipients:
    """Resolves a message's recipient with a worker's proxies to the owning services."""

    def __init__(self, appointments: Any, permits: Any, profile: Any,
                 private_key: str, sms_provider: bool = False) -> None:
        self.appointments = appointments
        self.permits = permits
        self.profile = profile
        self.private_key = private_key
        self.sms_provider = sms_provider

    def resolve(self, message: dict[str, Any]) -> Recipient:
        """The recipient of ``message`` (:class:`NotSent`, :class:`Unavailable`)."""
        kind, tenant, facts = message["kind"], message["tenant"], message.get("facts") or {}
        if kind in BOOKING_KINDS:
            booking = self._ask("appointments", self.appointments.booking_for_notification,
                                tenant, facts["reference"])
            return _contact(booking.get("contact"), booking.get("language"), booking=booking)
        if kind in LOTTERY_KINDS:
            entry = self._ask("appointments", self.appointments.lottery_entry_for_notification,
                              tenant, facts["entry_reference"])
            return _contact(entry.get("contact"), entry.get("language"), entry=entry)
        if kind in PERMIT_KINDS:
            return self._applicant(message, tenant, facts)
        if kind == "case_assigned":
            staff = self._ask("profile", self.profile.staff_contact, tenant, facts["assignee"])
            if not staff:
                raise NotSent("no_contact")
            application = self._ask("permits", self.permits.application_for_notification,
                                    tenant, facts["application_id"])
            return _contact(staff, None, application=application)
        if kind == "erasure_completed":
            text = opened(self.private_key, message.get("sealed_token"))
            if text is None:
                raise NotSent("no_contact")
            return _contact(json.loads(text), None)
        raise NotSent("unknown_kind")

    def _applicant(self, message: dict[str, Any], tenant: str,
                   facts: dict[str, Any]) -> Recipient:
        application = self._ask("permits", self.permits.application_for_notification,
                                tenant, facts["application_id"])
        subject = (application.get("applicant") or {}).get("subject")
        contact = self._ask("profile", self.profile.contact_for_notification, tenant, subject)
        if not contact:
            raise NotSent("no_profile")
        channel = contact.get("notification_channel") or "email"
        if channel not in ("email", "sms"):
            raise NotSent(f"channel_{channel}")
        consent = kind_of(message["kind"]).consent
        if consent and consent not in (contact.get("consents") or ()):
            raise NotSent("no_consent")
        language = (application.get("applicant") or {}).get("language")
        if channel == "sms":
            if self.sms_provider:
                return _by_sms(contact, language, application=application)
            if not (contact.get("email") or "").strip():
                raise NotSent("no_sms_provider")
        return _contact(contact, language, application=application)

    @staticmethod
    def _ask(service: str, method: Any, *args: Any) -> Any:
        try:
            return method(*args)
        except RemoteError as error:
            code = parse_remote_message(error.value).get("code") or ""
            if error.exc_type == "NotFound" or str(code).endswith("not_found"):
                raise NotSent("not_found") from None
            raise Unavailable(f"rpc {service} {str(code or error.exc_type)[:40]}") from None
        except RpcTimeout:
            raise Unavailable(f"rpc {service} timeout") from None
        except UnknownService:
            raise Unavailable(f"rpc {service} down") from None
        except (ConnectionError, OSError):
            raise Unavailable(f"rpc {service} unreachable") from None


def _by_sms(contact: dict[str, Any], fallback_language: str | None,
            **facts: Any) -> Recipient:
    if not (contact.get("phone") or "").strip():
        raise NotSent("no_phone")
    number = e164(contact["phone"])
    if number is None:
        raise NotSent("invalid_phone")
    return Recipient(address=number, name=contact.get("name") or None,
                     language=contact.get("language") or fallback_language, facts=facts,
                     channel="sms")


def _contact(contact: dict[str, Any] | None, fallback_language: str | None,
             **facts: Any) -> Recipient:
    contact = contact or {}
    address = (contact.get("email") or "").strip()
    if not address:
        raise NotSent("no_address")
    return Recipient(address=address, name=contact.get("name") or None,
                     language=contact.get("language") or fallback_language, facts=facts)
