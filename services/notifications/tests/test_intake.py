# SPDX-License-Identifier: EUPL-1.2
"""Which event makes which message, and which links it keeps or drops (pure)."""
import pytest

from loket_common.events import Event
from loket_notifications.intake import intake_of

SUBJECT = "r-" + "a" * 32
BOOKING = {"reference": "B-1", "start": "2026-12-10T08:00:00+00:00",
           "end": "2026-12-10T08:15:00+00:00", "subject": SUBJECT}


def event(source, kind, **data):
    return Event(source=source, type=kind, tenant="musterstadt", data=data)


def kinds(source, kind, **data):
    return [plan.kind for plan in intake_of(event(source, kind, **data)).plans]


def test_a_booking_keeps_its_sealed_manage_token_until_its_end():
    taken = intake_of(event("appointments", "appointment_booked", **BOOKING,
                            sealed_manage_token="sealed"))
    assert [(p.kind, p.about_kind, p.about_id, p.sealed_token) for p in taken.plans] == [
        ("booking_confirmed", "booking", "B-1", "sealed")]
    link = taken.links[0]
    assert (link.kind, link.reference, link.sealed_token) == ("booking", "B-1", "sealed")
    assert link.expires_at.isoformat() == "2026-12-10T08:15:00+00:00"


def test_a_lottery_win_keeps_the_token_but_its_booking_is_not_told():
    taken = intake_of(event("appointments", "appointment_booked", **BOOKING,
                            sealed_manage_token="sealed", entry_reference="L-1"))
    assert taken.plans == [] and taken.links[0].sealed_token == "sealed"


def test_a_cancellation_drops_the_token_and_a_move_keeps_it():
    cancelled = intake_of(event("appointments", "appointment_cancelled", **BOOKING,
                                cancelled_by="resident"))
    assert cancelled.plans[0].facts["cancelled_by"] == "resident"
    assert cancelled.links[0].sealed_token is None and cancelled.links[0].expires_at is None
    moved = intake_of(event("appointments", "appointment_rescheduled", **BOOKING,
                            previous_start="2026-12-09T08:00:00+00:00"))
    assert moved.plans[0].facts["previous_start"] == "2026-12-09T08:00:00+00:00"
    assert moved.links[0].sealed_token is None and moved.links[0].expires_at is not None


@pytest.mark.parametrize(("before", "after", "expected"), [
    ("submitted", "information_requested", ["permit_information_requested"]),
    ("submitted", "in_review", ["permit_status_changed"]),
    ("in_review", "in_review", []),
    ("in_review", "approved", []),
    ("in_review", "rejected", []),
])
def test_permit_status_changes(before, after, expected):
    assert kinds("permits", "permit_status_changed", application_id="a-1", subject=SUBJECT,
                 **{"from": before, "to": after}) == expected


def test_case_assignment_needs_an_assignee_and_erasure_keeps_no_subject():
    assert kinds("permits", "permit_case_assigned", application_id="a-1") == []
    assert kinds("permits", "permit_case_assigned", application_id="a-1",
                 assignee="staff:weber", subject=SUBJECT) == ["case_assigned"]
    erased = intake_of(event("profile", "erasure_finished", request_id="q-1", subject=SUBJECT,
                             sealed_contact="sealed")).plans[0]
    assert (erased.kind, erased.subject, erased.sealed_token) == ("erasure_completed", None,
                                                                  "sealed")


def test_other_events_cause_nothing():
    assert kinds("appointments", "appointment_checked_in", **BOOKING) == []
    assert kinds("profile", "profile_created", subject=SUBJECT) == []
    assert kinds("elsewhere", "appointment_booked", **BOOKING) == []
