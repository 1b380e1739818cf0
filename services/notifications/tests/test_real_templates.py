# SPDX-License-Identifier: EUPL-1.2
"""The contexts the service builds, rendered by the real templates (the rendering package)."""
import json
import uuid

import icalendar
import pytest

from loket_common.testing import wait_for

from .helpers import (
    EMAIL,
    STAFF_EMAIL,
    TENANT,
    application,
    booking,
    contact,
    new_subject,
    publish,
    sealed,
)

pytestmark = pytest.mark.integration
BASE = "https://termine.musterstadt.example"


def accepted(database, kind, about_id):
    return wait_for(lambda: database["messages"].find_one(
        {"kind": kind, "about.id": about_id, "state": {"$in": ["accepted", "not_sent",
                                                               "temporary_failure"]}}))


def test_every_kind_renders_with_the_real_templates(start_notifications, owners,
                                                     service_config, database, channel):
    start_notifications(real_renderer=True)
    subject, application_id = new_subject(), str(uuid.uuid4())
    owners.bookings["B-R"] = booking("B-R", subject)
    owners.applications[application_id] = application(application_id, subject)
    owners.contacts[subject] = contact(consents=("email_status_updates",))
    owners.staff["staff:weber"] = {"email": STAFF_EMAIL, "name": "Weber", "language": "de"}
    owners.entries["L-R"] = {"reference": "L-R", "state": "not_allocated",
                             "reason": "oversubscribed", "day": "2026-12-10",
                             "draw_at": "2026-12-03T06:00:00+00:00",
                             "service": {"id": "s-1", "name": {"de": "A", "en": "A"}},
                             "office": None, "contact": {"name": None, "email": EMAIL,
                                                         "language": "en"},
                             "subject": subject, "booking": None}
    appointment = {"reference": "B-R", "service_id": "s-1", "office_id": "o-1",
                   "counter_id": "c-1", "start": "2026-12-10T08:00:00+00:00",
                   "end": "2026-12-10T08:15:00+00:00", "language": "de", "subject": subject}
    lottery = {"entry_reference": "L-R", "service_id": "s-1", "day": "2026-12-10",
               "office_id": "o-1", "language": "en", "tenant": TENANT, "subject": subject}
    about = {"application_id": application_id, "reference": "AZ-2026-0042",
             "type_id": "special-use", "subject": subject}
    events = [
        ("appointments", "appointment_booked", {**appointment,
                                                "sealed_manage_token": sealed("real-1")},
         "booking_confirmed", "B-R"),
        ("appointments", "appointment_reminder_due", appointment, "booking_reminder", "B-R"),
        ("appointments", "appointment_rescheduled",
         {**appointment, "previous_start": "2026-12-09T08:00:00+00:00"}, "booking_moved", "B-R"),
        ("appointments", "appointment_lottery_entered",
         {**lottery, "sealed_status_token": sealed("status-r")}, "lottery_entered", "L-R"),
        ("appointments", "appointment_lottery_result",
         {**lottery, "result": "not_allocated", "reason": "oversubscribed"}, "lottery_result",
         "L-R"),
        ("permits", "permit_submitted", about, "permit_submitted", application_id),
        ("permits", "permit_status_changed", {**about, "from": "submitted", "to": "in_review"},
         "permit_status_changed", application_id),
        ("permits", "permit_status_changed",
         {**about, "from": "in_review", "to": "information_requested"},
         "permit_information_requested", application_id),
        ("permits", "permit_decided", {**about, "outcome": "approved"}, "permit_decided",
         application_id),
        ("permits", "permit_case_assigned", {**about, "assignee": "staff:weber"},
         "case_assigned", application_id),
        ("appointments", "appointment_cancelled", {**appointment, "cancelled_by": "resident"},
         "booking_cancelled", "B-R"),
        ("profile", "erasure_finished", {"request_id": "q-r", "subject": subject,
                                         "sealed_contact": sealed(json.dumps(
                                             {"email": EMAIL, "name": None,
                                              "language": "en"}))},
         "erasure_completed", "q-r"),
    ]
    for source, event_type, data, kind, about_id in events:
        publish(service_config, source, event_type, data)
        message = accepted(database, kind, about_id)
        assert message["state"] == "accepted", (kind, message["last_detail"])
    by_subject = {outgoing.subject: outgoing for outgoing in channel.sent}
    assert len(by_subject) == len(events)
    confirmation = channel.sent[0]
    assert f"{BASE}/de/appointments/bookings/B-R?token=real-1" in confirmation.text
    assert "lang=\"de\"" in confirmation.html or "lang=de" in confirmation.html
    ics = next(item for item in confirmation.attachments if item.filename.endswith(".ics"))
    assert icalendar.Calendar.from_ical(ics.data).walk("VEVENT")
    reminder = channel.sent[1]
    assert "token=real-1" in reminder.text
