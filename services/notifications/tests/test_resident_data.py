# SPDX-License-Identifier: EUPL-1.2
"""GDPR and retention: export with content, erasure leaves nothing (a copy unreadable),
content deleted after its time with the state kept; and what residents and staff see."""
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from nameko.exceptions import RemoteError

from loket_common.crypto import UndecryptableData
from loket_common.key_vault import SubjectCipher
from loket_common.testing import database_text, outbox_data, wait_for
from loket_notifications.retention import run_retention, take_lease

from .helpers import (
    EMAIL,
    TENANT,
    WEBER,
    application,
    booking,
    contact,
    new_subject,
    publish,
    sealed,
)

pytestmark = pytest.mark.integration


def booked(reference, subject):
    return {"reference": reference, "service_id": "s-1", "office_id": "o-1",
            "counter_id": "c-1", "start": "2026-12-10T08:00:00+00:00",
            "end": "2026-12-10T08:15:00+00:00", "language": "de", "subject": subject,
            "sealed_manage_token": sealed("secret-manage-token")}


def accepted(database, count):
    wait_for(lambda: database["messages"].count_documents({"state": "accepted"}) >= count)


@pytest.fixture
def sent_to_erika(notifications, owners, service_config, database):
    """Erika got a booking confirmation and a permit receipt; returns her subject and ids."""
    subject, application_id = new_subject(), str(uuid.uuid4())
    owners.bookings["B-9"] = booking("B-9", subject)
    owners.applications[application_id] = application(application_id, subject)
    owners.contacts[subject] = contact()
    publish(service_config, "appointments", "appointment_booked", booked("B-9", subject))
    publish(service_config, "permits", "permit_submitted",
            {"application_id": application_id, "subject": subject})
    accepted(database, 2)
    return subject, application_id


def test_content_is_encrypted_at_rest(sent_to_erika, database):
    text = database_text(database)
    for plain in (EMAIL, "Erika", "booking_confirmed de", "secret-manage-token", "termin.ics"):
        assert plain not in text


def test_export_has_the_messages_with_their_content(sent_to_erika, notifications):
    subject, _ = sent_to_erika
    exported = notifications.export_subject(TENANT, subject)
    assert exported["service"] == "notifications" and exported["subject"] == subject
    kinds = sorted(message["kind"] for message in exported["messages"])
    assert kinds == ["booking_confirmed", "permit_submitted"]
    confirmed = next(m for m in exported["messages"] if m["kind"] == "booking_confirmed")
    assert confirmed["content"]["recipient"] == EMAIL
    assert confirmed["content"]["attachments"] == [{"filename": "termin.ics",
                                                    "content_type": "text/calendar"}]
    assert isinstance(confirmed["created_at"], str)


def test_erasure_leaves_nothing_and_a_copy_taken_before_is_unreadable(
        sent_to_erika, notifications, service_config, database):
    subject, application_id = sent_to_erika
    notifications.messages_about(TENANT, "application", application_id, WEBER)
    wait_for(lambda: outbox_data(database, "personal_data_accessed"))
    copy = list(database["messages"].find())
    assert all(message["content"] for message in copy)
    publish(service_config, "profile", "erasure_requested",
            {"request_id": "req-1", "subject": subject})
    wait_for(lambda: outbox_data(database, "erasure_completed"))
    assert outbox_data(database, "erasure_completed") == [
        {"request_id": "req-1", "service": "notifications", "deleted": 3, "anonymised": 0}]
    for collection in ("messages", "links", "address_marks"):
        assert database[collection].count_documents({}) == 0
    assert outbox_data(database, "personal_data_accessed") == []
    assert subject not in database_text(database)
    cipher = SubjectCipher.over(database, cache_seconds=0)
    for message in copy:
        with pytest.raises(UndecryptableData):
            cipher.decrypt(TENANT, message["content"])
    assert notifications.messages_for_subject(TENANT, subject) == []


def test_retention_deletes_content_and_keeps_the_state(sent_to_erika, notifications,
                                                       database):
    subject, _ = sent_to_erika
    later = datetime.now(UTC) + timedelta(days=91)
    contents, links = run_retention(database, later)
    assert contents == 2 and links == 1  # the booking's end has passed too
    for message in database["messages"].find():
        assert message["content"] is None and message["subject_line"] is None
        assert message["state"] == "accepted"
    shown = notifications.messages_for_subject(TENANT, subject)
    assert [message["subject_line"] for message in shown] == [None, None]
    assert run_retention(database, later) == (0, 0)


def test_the_retention_lease_is_taken_once_per_interval(database):
    now = datetime.now(UTC)
    assert take_lease(database, "retention", 60, now) is True
    assert take_lease(database, "retention", 60, now + timedelta(seconds=30)) is False
    assert take_lease(database, "retention", 60, now + timedelta(seconds=61)) is True


def test_what_residents_staff_and_operators_see(sent_to_erika, notifications, database):
    subject, application_id = sent_to_erika
    mine = notifications.messages_for_subject(TENANT, subject)
    assert {message["subject_line"] for message in mine} == {"booking_confirmed de",
                                                            "permit_submitted en"}
    assert [step["state"] for step in mine[0]["history"]] == ["queued", "sending", "accepted"]
    last = notifications.last_message_about(TENANT, "booking", "B-9")
    assert last["state"] == "accepted" and "subject_line" not in last
    assert notifications.last_message_about(TENANT, "booking", "B-none") is None
    with pytest.raises(RemoteError) as bad:
        notifications.last_message_about(TENANT, "pigeon", "x")
    assert bad.value.exc_type == "ValidationFailed"
    case = notifications.messages_about(TENANT, "application", application_id, WEBER)
    assert [message["kind"] for message in case["messages"]] == ["permit_submitted"]
    access = wait_for(lambda: outbox_data(database, "personal_data_accessed"))
    assert access[0]["subject"] == subject and access[0]["actor"]["role"] == "case_worker"
    counts = notifications.message_counts(TENANT)
    assert counts["tenant"] == TENANT and counts["counts"]["accepted"] == 2
    assert notifications.message_counts(None)["counts"]["queued"] == 0
    assert notifications.message_counts("beispielstadt")["counts"]["accepted"] == 0
    assert notifications.failed_messages(None, 10, None) == {"items": [], "next": None}
    previews = notifications.preview_templates(TENANT)
    assert {preview["language"] for preview in previews} == {"de", "en"}
    assert notifications.health() == {"service": "notifications", "database": "ok"}
