# SPDX-License-Identifier: EUPL-1.2
"""Who may call each API operation (``RULES``), and a body each write accepts (``BODIES``).

``tests/test_authorization.py`` checks that every operation in /openapi.json has a rule here
and probes each one with every caller the rule does not admit.
"""
from __future__ import annotations

from dataclasses import dataclass

from .test_permit_applications import TYPE


@dataclass(frozen=True)
class Rule:
    """Who may call an operation: ``kind`` and, for staff, the ``role``."""

    kind: str  # public | capability | secret_link | resident | staff | operator
    role: str = ""
    why: str = ""


def public(why: str) -> Rule:
    return Rule("public", why=why)


def staff(role: str) -> Rule:
    return Rule("staff", role=role)


RESIDENT = Rule("resident")
SECRET_LINK = Rule("secret_link", why="booking or lottery entry: reference + secret token")
HOLD = Rule("capability", why="a hold is reached by its random id, given only to its holder")

T = "/api/v1/tenants/{tenant}"
RULES: dict[tuple[str, str], Rule] = {
    ("GET", "/health"): public("operations: per-dependency status, no personal data"),
    ("GET", "/api/v1/operator/tenants"): Rule("operator"),
    ("GET", "/api/v1/operator/notifications/counts"): Rule("operator"),
    ("GET", "/api/v1/operator/notifications/failures"): Rule("operator"),
    ("POST", "/api/v1/operator/notifications/{tenant}/{message_id}/resend"): Rule("operator"),
    # appointments: searching and booking is open to everyone
    ("GET", T + "/offices"): public("the catalogue of offices"),
    ("GET", T + "/slots"): public("free times"),
    ("GET", T + "/slots/first"): public("the first free time"),
    ("GET", T + "/contact-fields"): public("what booking asks and why"),
    ("POST", T + "/challenges"): public("proof of work before a hold"),
    ("POST", T + "/holds"): public("anyone may hold a free time (rate limited, proof of work)"),
    ("DELETE", T + "/holds/{hold_id}"): HOLD,
    ("POST", T + "/holds/{hold_id}/confirmation"): HOLD,
    ("GET", T + "/services/{service_id}/release"): public("when a service's days open"),
    ("POST", T + "/lottery-entries"): public("anyone may enter a fair-release lottery"),
    ("GET", T + "/lottery-entries/{reference}"): SECRET_LINK,
    ("GET", T + "/bookings/{reference}"): SECRET_LINK,
    ("DELETE", T + "/bookings/{reference}"): SECRET_LINK,
    ("GET", T + "/bookings/{reference}/calendar.ics"): SECRET_LINK,
    ("POST", T + "/bookings/{reference}/reschedule"): SECRET_LINK,
    # counter staff
    ("GET", T + "/offices/{office_id}/day-list"): staff("counter_staff"),
    ("POST", T + "/offices/{office_id}/walk-ins"): staff("counter_staff"),
    ("POST", T + "/offices/{office_id}/counters/{counter_id}/call-next"): staff("counter_staff"),
    ("POST", T + "/bookings/{reference}/check-in"): staff("counter_staff"),
    ("POST", T + "/bookings/{reference}/no-show"): staff("counter_staff"),
    # tenant admins
    ("GET", T + "/catalogue"): staff("tenant_admin"),
    ("GET", T + "/catalogue/changes"): staff("tenant_admin"),
    ("GET", T + "/offices/{office_id}"): staff("tenant_admin"),
    ("PUT", T + "/offices/{office_id}"): staff("tenant_admin"),
    ("DELETE", T + "/offices/{office_id}"): staff("tenant_admin"),
    ("GET", T + "/offices/{office_id}/closures"): staff("tenant_admin"),
    ("POST", T + "/offices/{office_id}/closures"): staff("tenant_admin"),
    ("DELETE", T + "/offices/{office_id}/closures/{day}"): staff("tenant_admin"),
    ("GET", T + "/services/{service_id}"): staff("tenant_admin"),
    ("PUT", T + "/services/{service_id}"): staff("tenant_admin"),
    ("DELETE", T + "/services/{service_id}"): staff("tenant_admin"),
    # permits
    ("GET", T + "/permit-types"): public("what one can apply for"),
    ("GET", T + "/permit-types/{type_id}"): public("a permit type's form and fees"),
    ("GET", T + "/profile-fields"): public("what a profile holds and why"),
    ("GET", T + "/applications"): RESIDENT,
    ("POST", T + "/applications"): RESIDENT,
    ("GET", T + "/applications/{application_id}"): RESIDENT,
    ("PATCH", T + "/applications/{application_id}"): RESIDENT,
    ("POST", T + "/applications/{application_id}/answer"): RESIDENT,
    ("POST", T + "/applications/{application_id}/attachments"): RESIDENT,
    ("GET", T + "/applications/{application_id}/attachments/{attachment_id}"): RESIDENT,
    ("DELETE", T + "/applications/{application_id}/attachments/{attachment_id}"): RESIDENT,
    ("POST", T + "/applications/{application_id}/submission"): RESIDENT,
    ("POST", T + "/applications/{application_id}/withdrawal"): RESIDENT,
    ("GET", T + "/cases"): staff("case_worker"),
    ("GET", T + "/cases/{application_id}"): staff("case_worker"),
    ("POST", T + "/cases/{application_id}/assignment"): staff("case_worker"),
    ("POST", T + "/cases/{application_id}/transitions"): staff("case_worker"),
    ("POST", T + "/counter/applications"): staff("counter_staff or case_worker"),
    ("GET", T + "/cases/{application_id}/attachments/{attachment_id}"): staff("case_worker"),
    # the resident's own data
    ("GET", T + "/me"): RESIDENT,
    ("PATCH", T + "/me"): RESIDENT,
    ("GET", T + "/me/businesses"): RESIDENT,
    ("POST", T + "/me/businesses"): RESIDENT,
    ("PUT", T + "/me/businesses/{business_id}"): RESIDENT,
    ("GET", T + "/me/consents"): RESIDENT,
    ("PUT", T + "/me/consents/{purpose}"): RESIDENT,
    ("DELETE", T + "/me/consents/{purpose}"): RESIDENT,
    ("GET", T + "/me/access-log"): RESIDENT,
    ("GET", T + "/me/appointments"): RESIDENT,
    ("GET", T + "/me/export"): RESIDENT,
    ("POST", T + "/me/erasure"): RESIDENT,
    ("GET", T + "/me/erasure"): RESIDENT,
    ("GET", T + "/me/messages"): RESIDENT,
    # notifications: the kinds a tenant sends
    ("GET", T + "/admin/notification-kinds"): staff("tenant_admin"),
    ("PUT", T + "/admin/notification-kinds/{kind}"): staff("tenant_admin"),
    # statistics: live figures and settings for admins, releases for everyone
    ("GET", T + "/statistics/figures"): staff("tenant_admin"),
    ("GET", T + "/statistics/settings"): staff("tenant_admin"),
    ("PUT", T + "/statistics/settings"): staff("tenant_admin"),
    ("POST", T + "/statistics/corrections"): staff("tenant_admin"),
    ("GET", T + "/statistics/releases"): public("published open data: counts only, small "
                                                "ones suppressed"),
    ("POST", T + "/counter-transactions"): staff("counter_staff"),
    ("GET", "/api/v1/operator/statistics"): Rule("operator"),
}

# A body each write operation accepts, so a refusal is about who calls, not what is sent.
BODIES: dict[tuple[str, str], dict] = {
    ("PATCH", T + "/me"): {"phone": "+49 30 999999"},
    ("POST", T + "/me/businesses"): {"company_name": "Probe GmbH"},
    ("PUT", T + "/me/businesses/{business_id}"): {"company_name": "Probe GmbH"},
    ("POST", T + "/applications"): {"type_id": TYPE, "data": {}},
    ("PATCH", T + "/applications/{application_id}"): {"data": {}},
    ("POST", T + "/applications/{application_id}/answer"): {"data": {}, "message": "x"},
    ("POST", T + "/applications/{application_id}/withdrawal"): {"reason": "Probe"},
    ("POST", T + "/cases/{application_id}/assignment"): {"assignee": "me"},
    ("POST", T + "/cases/{application_id}/transitions"): {"to": "in_review"},
    ("POST", T + "/counter/applications"): {"type_id": TYPE, "data": {},
                                            "applicant": {"name": "Probe"}},
    ("PUT", T + "/admin/notification-kinds/{kind}"): {"enabled": True},
    ("PUT", T + "/statistics/settings"): {"threshold": 5, "channels": [],
                                          "expected_shares": {}},
    ("POST", T + "/statistics/corrections"): {"month": "2026-10", "reason": "Probe"},
    ("POST", T + "/counter-transactions"): {"process": "appointments:id-card",
                                            "channel": "counter"},
    ("POST", T + "/offices/{office_id}/walk-ins"): {"service_id": "id-card", "name": "Probe"},
    ("POST", T + "/offices/{office_id}/closures"): {"day": "2030-01-02",
                                                    "reason": {"de": "x", "en": "x"}},
    ("POST", T + "/holds/{hold_id}/confirmation"): {"name": "Probe", "language": "de",
                                                    "email": "probe@example.org"},
    ("POST", T + "/bookings/{reference}/reschedule"): {"office_id": "mitte",
                                                       "start": "2030-01-02T09:00:00+01:00"},
}
