# SPDX-License-Identifier: EUPL-1.2
"""Each kind from its event: the owner asked at send time, rendered, sent, accepted."""
import uuid
from datetime import UTC, datetime

import pytest

from loket_common.testing import runs_of, wait_for
from loket_notifications.retention import run_retention

from .helpers import (
    EMAIL,
    STAFF_EMAIL,
    TENANT,
    Result,
    application,
    booking,
    contact,
    new_subject,
    publish,
    sealed,
)

pytestmark = pytest.mark.integration
BASE = "https://termine.musterstadt.example"


def final(database, kind, about_id):
    """The message of ``kind`` about ``about_id`` once it reached a final state."""
    def done():
        found = database["messages"].find_one({"kind": kind, "about.id": about_id})
        return found if found and found["state"] in ("accepted", "not_sent",
                                                      "permanent_failure") else None
    return wait_for(done)


def booked(reference, subject, token="manage-token-1", **extra):
    return {"reference": reference, "service_id": "s-1", "office_id": "o-1",
            "counter_id": "c-1", "start": "2026-12-10T08:00:00+00:00",
            "end": "2026-12-10T08:15:00+00:00", "language": "de", "channel": "online",
            "subject": subject, "sealed_manage_token": sealed(token), **extra}


def test_booking_confirmed_with_manage_link_then_reminder_moved_cancelled(
        notifications, owners, service_config, database, channel, renderer):
    subject = new_subject()
    owners.bookings["B-1"] = booking("B-1", subject)
    publish(service_config, "appointments", "appointment_booked", booked("B-1", subject))
    message = final(database, "booking_confirmed", "B-1")
    assert message["state"] == "accepted" and message["history"][-1]["relay"] == "local"
    sent = channel.sent[-1]
    assert sent.recipient == EMAIL and sent.subject == "booking_confirmed de"
    assert f"{BASE}/de/appointments/bookings/B-1?token=manage-token-1" in sent.text
    assert sent.sender == "noreply@musterstadt.example"
    assert sent.bounce_address == "bounces@musterstadt.example"
    assert [item.filename for item in sent.attachments] == ["termin.ics"]
    kind, language, context = renderer.calls[-1]
    assert set(context) == {"recipient", "language", "booking", "manage_url",
                            "previous_start", "cancelled_by"}
    assert context["booking"]["reference"] == "B-1"
    assert "sealed_token" not in database["messages"].find_one({"id": message["id"]})

    # the reminder days later: the kept token makes the manage link again
    publish(service_config, "appointments", "appointment_reminder_due",
            {**booked("B-1", subject), "sealed_manage_token": None})
    final(database, "booking_reminder", "B-1")
    assert "token=manage-token-1" in channel.sent[-1].text

    publish(service_config, "appointments", "appointment_rescheduled",
            {**booked("B-1", subject), "sealed_manage_token": None,
             "previous_start": "2026-12-09T08:00:00+00:00"})
    final(database, "booking_moved", "B-1")
    assert renderer.calls[-1][2]["previous_start"] == "2026-12-09T08:00:00+00:00"
    assert "token=manage-token-1" in channel.sent[-1].text

    publish(service_config, "appointments", "appointment_cancelled",
            {**booked("B-1", subject), "sealed_manage_token": None,
             "cancelled_by": "office"})
    final(database, "booking_cancelled", "B-1")
    context = renderer.calls[-1][2]
    assert context["cancelled_by"] == "office" and context["manage_url"] is None
    assert database["links"].count_documents({"reference": "B-1"}) == 0


def test_a_lottery_win_is_told_by_the_result_not_by_the_booking(
        notifications, owners, service_config, database, channel, renderer):
    subject = new_subject()
    allocated = booking("B-7", subject)
    owners.entries["L-1"] = {"reference": "L-1", "state": "allocated", "reason": None,
                             "day": "2026-12-10", "draw_at": "2026-12-03T06:00:00+00:00",
                             "service": {"id": "s-1", "name": {"de": "A", "en": "A"}},
                             "office": None, "contact": {"name": None, "email": EMAIL,
                                                         "language": "en"},
                             "subject": subject, "booking": allocated}
    lottery = {"entry_reference": "L-1", "service_id": "s-1", "day": "2026-12-10",
               "office_id": "o-1", "language": "en", "tenant": TENANT, "subject": subject}
    publish(service_config, "appointments", "appointment_lottery_entered",
            {**lottery, "sealed_status_token": sealed("status-1")})
    final(database, "lottery_entered", "L-1")
    assert f"{BASE}/en/appointments/lottery/L-1?token=status-1" in channel.sent[-1].text

    publish(service_config, "appointments", "appointment_booked",
            booked("B-7", subject, "manage-7", entry_reference="L-1"))
    publish(service_config, "appointments", "appointment_lottery_result", {
        **lottery, "result": "allocated", "reason": None,
        "booking": {**booked("B-7", subject, "manage-7")}})
    final(database, "lottery_result", "L-1")
    text = channel.sent[-1].text
    assert "token=manage-7" in text and "token=status-1" in text
    assert renderer.calls[-1][2]["search_url"] is None
    assert database["messages"].count_documents({"kind": "booking_confirmed"}) == 0


@pytest.mark.parametrize(("event_type", "data", "kind"), [
    ("permit_submitted", {}, "permit_submitted"),
    ("permit_status_changed", {"from": "submitted", "to": "information_requested"},
     "permit_information_requested"),
    ("permit_decided", {"outcome": "approved"}, "permit_decided"),
])
def test_permit_kinds_reach_the_applicant_with_the_status_link(
        notifications, owners, service_config, database, channel, renderer, event_type, data,
        kind):
    subject, application_id = new_subject(), str(uuid.uuid4())
    owners.applications[application_id] = application(application_id, subject)
    owners.contacts[subject] = contact()
    publish(service_config, "permits", event_type,
            {"application_id": application_id, "reference": "AZ-2026-0042",
             "type_id": "special-use", "subject": subject, **data})
    message = final(database, kind, application_id)
    assert message["state"] == "accepted"
    assert channel.sent[-1].subject == f"{kind} en"
    assert f"{BASE}/en/permits/applications/{application_id}" in channel.sent[-1].text
    assert renderer.calls[-1][2]["application"]["id"] == application_id


def test_status_changes_need_consent_and_decisions_are_not_told_twice(
        start_notifications, owners, service_config, database, channel):
    container = start_notifications()
    subject, application_id = new_subject(), str(uuid.uuid4())
    owners.applications[application_id] = application(application_id, subject)
    owners.contacts[subject] = contact()
    about = {"application_id": application_id, "subject": subject}
    publish(service_config, "permits", "permit_status_changed",
            {**about, "from": "submitted", "to": "in_review"})
    assert final(database, "permit_status_changed", application_id)["last_detail"] == \
        "no_consent"
    owners.contacts[subject] = contact(consents=("email_status_updates",))
    second = publish(service_config, "permits", "permit_status_changed",
                     {**about, "from": "in_review", "to": "in_review_2"})
    wait_for(lambda: database["messages"].find_one({"event_id": second.id,
                                                    "state": "accepted"}))
    # approved is told by permit_decided: its status change records nothing
    with runs_of(container, "on_permit_status_changed", 1):
        approved = publish(service_config, "permits", "permit_status_changed",
                           {**about, "from": "in_review_2", "to": "approved"})
    assert database["messages"].count_documents({"event_id": approved.id}) == 0
    publish(service_config, "permits", "permit_decided", {**about, "outcome": "approved"})
    assert final(database, "permit_decided", application_id)["state"] == "accepted"


def test_case_assigned_goes_to_the_staff_member(notifications, owners, service_config,
                                                database, channel, renderer):
    subject, application_id = new_subject(), str(uuid.uuid4())
    owners.applications[application_id] = application(application_id, subject)
    owners.staff["staff:weber"] = {"email": STAFF_EMAIL, "name": "Weber", "language": "de"}
    publish(service_config, "permits", "permit_case_assigned",
            {"application_id": application_id, "reference": "AZ-2026-0042",
             "type_id": "special-use", "assignee": "staff:weber", "by_role": "team_lead",
             "subject": subject})
    final(database, "case_assigned", application_id)
    assert channel.sent[-1].recipient == STAFF_EMAIL
    assert f"{BASE}/de/staff/cases/{application_id}" in channel.sent[-1].text


def test_erasure_completed_goes_to_the_sealed_contact_and_is_not_kept(
        notifications, owners, service_config, database, channel, renderer):
    request_id = str(uuid.uuid4())
    publish(service_config, "profile", "erasure_finished", {
        "request_id": request_id, "subject": new_subject(),
        "sealed_contact": sealed('{"email": "gone@example.org", "name": "G", '
                                 '"language": "en"}')})
    message = final(database, "erasure_completed", request_id)
    assert message["subject_index"] is None
    assert channel.sent[-1].recipient == "gone@example.org"
    assert renderer.calls[-1][2]["completed_at"]
    assert (message["content"], message["subject_line"]) == (None, None)  # not kept once sent


def test_erasure_completed_outlasts_a_relay_outage_and_the_retention_timer(
        notifications, owners, service_config, database, channel):
    """Its content is its only copy of the address: the timer must not drop it before the send."""
    request_id = str(uuid.uuid4())
    channel.script.append(Result("temporary_failure", "local", "smtp 421"))
    publish(service_config, "profile", "erasure_finished", {
        "request_id": request_id, "subject": new_subject(),
        "sealed_contact": sealed('{"email": "later@example.org", "name": "L", '
                                 '"language": "de"}')})
    failed = wait_for(lambda: database["messages"].find_one(
        {"kind": "erasure_completed", "about.id": request_id, "state": "temporary_failure"}))
    run_retention(database)  # the timer runs while the relay is down
    assert database["messages"].find_one({"id": failed["id"]})["content"]
    database["messages"].update_one({"id": failed["id"]},  # the pause is over
                                    {"$set": {"next_try_at": datetime.now(UTC),
                                              "due_at": datetime.now(UTC)}})
    message = final(database, "erasure_completed", request_id)
    assert message["state"] == "accepted", message["history"]
    assert [sent.recipient for sent in channel.sent[-2:]] == ["later@example.org"] * 2
    assert (message["content"], message["subject_line"]) == (None, None)
