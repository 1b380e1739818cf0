# SPDX-License-Identifier: EUPL-1.2
"""Every counted event becomes the facts issue 14's table names (no I/O)."""
import pytest

from loket_statistics.intake import Fact, facts_of, lead_days

from .helpers import event

AT = "2026-03-10T09:00:00+00:00"


def facts(source, event_type, data, occurred_at=AT):
    return facts_of(event(source, event_type, data, occurred_at))


@pytest.mark.parametrize(("event_type", "measure"), [
    ("appointment_cancelled", "appointments_cancelled"),
    ("appointment_checked_in", "appointments_checked_in"),
    ("appointment_no_show", "appointments_no_show"),
])
def test_appointment_events_count_by_the_bookings_channel(event_type, measure):
    data = {"service_id": "id-card", "channel": "counter", "subject": "r-1"}
    assert facts("appointments", event_type, data) == [
        Fact(measure, "appointments:id-card", "counter", "2026-03")]


def test_an_online_booking_is_a_booking():
    assert facts("appointments", "appointment_booked",
                 {"service_id": "id-card", "channel": "online"}) == [
        Fact("appointments_booked", "appointments:id-card", "online", "2026-03")]


def test_a_counter_booking_is_also_a_walk_in():
    assert facts("appointments", "appointment_booked",
                 {"service_id": "id-card", "channel": "counter"}) == [
        Fact("appointments_booked", "appointments:id-card", "counter", "2026-03"),
        Fact("walk_ins", "appointments:id-card", "counter", "2026-03")]


def test_a_missing_or_unknown_channel_counts_as_online():
    for data in ({"service_id": "id-card"}, {"service_id": "id-card", "channel": "pigeon"}):
        assert [fact.channel for fact in facts("appointments", "appointment_booked", data)] == [
            "online"]


def test_the_month_is_the_berlin_month_of_when_it_happened():
    late_on_new_years_eve = "2026-12-31T23:30:00+00:00"  # 00:30 in Berlin
    found = facts("appointments", "appointment_booked", {"service_id": "id-card"},
                  late_on_new_years_eve)
    assert found[0].month == "2027-01"


def test_lottery_entries_are_online_and_only_allocations_count():
    assert facts("appointments", "appointment_lottery_entered",
                 {"service_id": "id-card", "channel": "counter"}) == [
        Fact("lottery_entries", "appointments:id-card", "online", "2026-03")]
    assert facts("appointments", "appointment_lottery_result",
                 {"service_id": "id-card", "result": "allocated"}) == [
        Fact("lottery_allocations", "appointments:id-card", "online", "2026-03")]
    assert facts("appointments", "appointment_lottery_result",
                 {"service_id": "id-card", "result": "not_allocated"}) == []
    assert facts("appointments", "appointment_lottery_result", {"service_id": "id-card"}) == []


@pytest.mark.parametrize(("event_type", "measure"), [
    ("permit_started", "applications_started"),
    ("permit_submitted", "applications_submitted"),
])
def test_applications_count_by_the_cases_channel(event_type, measure):
    assert facts("permits", event_type, {"type_id": "residents-parking", "channel": "counter",
                                         "application_id": "a-1"}) == [
        Fact(measure, "permits:residents-parking", "counter", "2026-03")]
    assert facts("permits", event_type, {"type_id": "residents-parking"})[0].channel == "online"


def test_only_a_withdrawal_counts_of_the_status_changes():
    assert facts("permits", "permit_status_changed",
                 {"type_id": "residents-parking", "to": "withdrawn", "channel": "online"}) == [
        Fact("applications_withdrawn", "permits:residents-parking", "online", "2026-03")]
    assert facts("permits", "permit_status_changed",
                 {"type_id": "residents-parking", "to": "in_review"}) == []


def test_a_decision_counts_in_its_month_with_its_lead_time():
    found = facts("permits", "permit_decided", {
        "type_id": "residents-parking", "outcome": "approved", "channel": "counter",
        "submitted_at": "2026-02-20T10:00:00+00:00", "decided_at": "2026-03-02T22:00:00+00:00"},
        occurred_at="2026-04-01T08:00:00+00:00")
    assert found == [
        Fact("applications_approved", "permits:residents-parking", "counter", "2026-03"),
        Fact("lead_time", "permits:residents-parking", "counter", "2026-03", 10.5)]


def test_a_rejection_without_its_submission_time_has_no_lead_time():
    assert facts("permits", "permit_decided", {"type_id": "residents-parking",
                                               "outcome": "rejected"}) == [
        Fact("applications_rejected", "permits:residents-parking", "online", "2026-03")]


def test_an_unknown_outcome_is_not_counted():
    assert facts("permits", "permit_decided", {"type_id": "residents-parking",
                                               "outcome": "postponed",
                                               "submitted_at": AT, "decided_at": AT}) == []


def test_lead_days():
    assert lead_days("2026-03-01T00:00:00+00:00", "2026-03-03T12:00:00+00:00") == 2.5
    assert lead_days("2026-03-03T00:00:00+00:00", "2026-03-01T00:00:00+00:00") is None
    assert lead_days(None, "2026-03-01T00:00:00+00:00") is None
    assert lead_days("yesterday", "2026-03-01T00:00:00+00:00") is None


@pytest.mark.parametrize(("event_type", "measure"), [
    ("notification_sent", "notifications_sent"),
    ("notification_failed", "notifications_failed"),
])
def test_notifications_count_by_kind_and_delivery_channel(event_type, measure):
    assert facts("notifications", event_type, {"kind": "booking_confirmed",
                                               "channel": "sms"}) == [
        Fact(measure, "notifications:booking_confirmed", "sms", "2026-03")]
    assert facts("notifications", event_type, {"kind": "booking_confirmed",
                                               "channel": "fax"}) == []


def test_events_without_their_process_or_not_counted_give_nothing():
    assert facts("appointments", "appointment_booked", {"channel": "online"}) == []
    assert facts("permits", "permit_submitted", {"type_id": "Not A Key!"}) == []
    assert facts("appointments", "appointment_rescheduled", {"service_id": "id-card"}) == []
