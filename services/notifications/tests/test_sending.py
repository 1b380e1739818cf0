# SPDX-License-Identifier: EUPL-1.2
"""Sending: once per event and kind, kinds off, not sent, retries, leases, resend, reports."""
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ServiceRpcProxy

from loket_common.testing import runs_of, wait_for

from .helpers import (
    EMAIL,
    TENANT,
    WEBER,
    Result,
    application,
    booking,
    contact,
    new_subject,
    publish,
    sealed,
)

pytestmark = pytest.mark.integration


def booked(reference, subject=None, **extra):
    return {"reference": reference, "service_id": "s-1", "office_id": "o-1",
            "counter_id": "c-1", "start": "2026-12-10T08:00:00+00:00",
            "end": "2026-12-10T08:15:00+00:00", "language": "de", "subject": subject,
            "sealed_manage_token": sealed("t-" + reference), **extra}


def state_of(database, query, *states):
    """The message matching ``query`` once it is in one of ``states``."""
    return wait_for(lambda: database["messages"].find_one({**query,
                                                           "state": {"$in": list(states)}}))


def test_the_same_event_twice_makes_one_message(start_notifications, owners, service_config,
                                                database, channel):
    container = start_notifications()
    owners.bookings["B-2"] = booking("B-2", None)
    event_id = str(uuid.uuid4())
    with runs_of(container, "on_appointment_booked", 2):
        for _ in range(2):
            publish(service_config, "appointments", "appointment_booked", booked("B-2"),
                    event_id=event_id)
    state_of(database, {"event_id": event_id}, "accepted")
    assert database["messages"].count_documents({"event_id": event_id}) == 1
    assert len(channel.sent) == 1


def test_a_kind_switched_off_makes_no_message(start_notifications, owners, service_config,
                                              database):
    container = start_notifications()
    with ServiceRpcProxy("notifications", service_config) as notifications:
        switched = notifications.set_kind_enabled(TENANT, "booking_confirmed", False,
                                                  WEBER | {"role": "tenant_admin"})
        assert switched["enabled"] is False and switched["audience"] == "resident"
        kinds = {kind["id"]: kind["enabled"] for kind in notifications.list_kinds(TENANT)}
        # beispielstadt's file switches lottery_entered off
        other = {kind["id"]: kind["enabled"]
                 for kind in notifications.list_kinds("beispielstadt")}
        with pytest.raises(RemoteError) as unknown:
            notifications.set_kind_enabled(TENANT, "carrier_pigeon", True, WEBER)
    assert unknown.value.exc_type == "KindNotFound"
    assert kinds["booking_confirmed"] is False and kinds["booking_reminder"] is True
    assert other["lottery_entered"] is False and other["booking_confirmed"] is True
    with runs_of(container, "on_appointment_booked", 1):
        event = publish(service_config, "appointments", "appointment_booked", booked("B-3"))
    assert database["messages"].count_documents({"event_id": event.id}) == 0
    assert database["links"].count_documents({"reference": "B-3"}) == 1  # for the reminder


@pytest.mark.parametrize(("answer", "detail"), [
    (contact(email=None), "no_address"), (contact(channel="post"), "channel_post"),
    (None, "no_profile")])
def test_no_address_post_or_no_profile_is_not_sent(notifications, owners, service_config,
                                                   database, channel, answer, detail):
    subject, application_id = new_subject(), str(uuid.uuid4())
    owners.applications[application_id] = application(application_id, subject)
    owners.contacts[subject] = answer
    publish(service_config, "permits", "permit_submitted",
            {"application_id": application_id, "subject": subject})
    message = state_of(database, {"about.id": application_id}, "not_sent")
    assert message["last_detail"] == detail and channel.sent == []


def test_a_walk_in_without_email_is_not_sent(notifications, owners, service_config, database):
    owners.bookings["B-4"] = booking("B-4", None, email=None)
    publish(service_config, "appointments", "appointment_booked", booked("B-4"))
    assert state_of(database, {"about.id": "B-4"}, "not_sent")["last_detail"] == "no_address"


def test_an_owner_that_is_down_is_a_temporary_failure_then_sent(
        start_notifications, service_config, database, channel, container_factory):
    start_notifications(NOTIFICATIONS_RETRY_FIRST_SECONDS=0.3)
    publish(service_config, "appointments", "appointment_booked", booked("B-5"))
    failed = state_of(database, {"about.id": "B-5"}, "temporary_failure")
    assert failed["last_detail"] == "rpc appointments down"
    assert failed["next_try_at"] > failed["updated_at"]
    from .conftest import OWNERS, FakeAppointments  # the owner comes up

    OWNERS.bookings["B-5"] = booking("B-5", None)
    container_factory(FakeAppointments, service_config).start()
    sent = state_of(database, {"about.id": "B-5"}, "accepted")
    assert [step["state"] for step in sent["history"]][:3] == ["queued", "sending",
                                                               "temporary_failure"]
    assert len(channel.sent) == 1


def test_a_relay_failure_is_retried_and_a_permanent_one_can_be_resent(
        start_notifications, owners, service_config, database, channel, renderer):
    start_notifications(NOTIFICATIONS_RETRY_FIRST_SECONDS=0.2)
    owners.bookings["B-6"] = booking("B-6", None)
    channel.script += [Result("temporary_failure", "local", "smtp 421"),
                       Result("permanent_failure", "local", "5.1.1")]
    publish(service_config, "appointments", "appointment_booked", booked("B-6"))
    failed = state_of(database, {"about.id": "B-6"}, "permanent_failure")
    assert [step["detail"] for step in failed["history"] if step["detail"]] == [
        "smtp 421", "5.1.1"]
    with ServiceRpcProxy("notifications", service_config) as notifications:
        page = notifications.failed_messages(TENANT, 10, None)
        assert [item["id"] for item in page["items"]] == [failed["id"]]
        assert "recipient" not in str(page)
        owners.bookings["B-6"] = booking("B-6", None, email="new@example.org")
        queued = notifications.resend_message(TENANT, failed["id"], WEBER)
        assert queued["state"] in ("queued", "sending", "accepted")
        with pytest.raises(RemoteError) as again:
            state_of(database, {"id": failed["id"]}, "accepted")
            notifications.resend_message(TENANT, failed["id"], WEBER)
    assert again.value.exc_type == "NotResendable"
    resent = database["messages"].find_one({"id": failed["id"]})
    assert "resent_by_case_worker" in [step["detail"] for step in resent["history"]]
    assert channel.sent[-1].recipient == "new@example.org"
    assert channel.sent[-1].subject == channel.sent[0].subject
    assert len(renderer.calls) == 1  # the kept content, not rendered again


def test_two_dispatchers_never_send_one_message_twice(start_notifications, owners,
                                                      service_config, database, channel):
    start_notifications()
    start_notifications()
    references = [f"B-L{number}" for number in range(30)]
    for reference in references:
        owners.bookings[reference] = booking(reference, None)
        publish(service_config, "appointments", "appointment_booked", booked(reference))
    wait_for(lambda: database["messages"].count_documents({"state": "accepted"}) == 30,
             timeout=30)
    sent = [outgoing.message_id for outgoing in channel.sent]
    assert len(sent) == 30 and len(set(sent)) == 30


def test_a_message_left_in_sending_by_a_dead_instance_is_taken_again(
        notifications, owners, service_config, database, channel):
    owners.bookings["B-8"] = booking("B-8", None)
    now = datetime.now(UTC)
    from loket_notifications.messages import new_message

    record = new_message(TENANT, "booking_confirmed", {"kind": "booking", "id": "B-8"},
                         str(uuid.uuid4()), None, None, {"reference": "B-8"}, None, now)
    database["messages"].insert_one({**record, "state": "sending", "attempts": 1,
                                     "lease_until": now - timedelta(seconds=1),
                                     "lease_id": "dead"})
    assert state_of(database, {"id": record["id"]}, "accepted")["attempts"] == 2


def test_delivery_reports_deliver_bounce_and_mark_the_address(
        notifications, owners, service_config, database):
    subject, application_id = new_subject(), str(uuid.uuid4())
    owners.applications[application_id] = application(application_id, subject)
    owners.contacts[subject] = contact()
    publish(service_config, "permits", "permit_submitted",
            {"application_id": application_id, "subject": subject})
    message = state_of(database, {"about.id": application_id}, "accepted")
    delayed = notifications.record_delivery_report(
        TENANT, {"message_id": message["id"], "action": "delayed", "status": "4.4.7"})
    assert delayed["state"] == "accepted"
    case = notifications.messages_about(TENANT, "application", application_id, WEBER)
    assert case["address_bounced"] is False
    bounced = notifications.record_delivery_report(
        TENANT, {"message_id": message["id"], "action": "failed", "status": "5.1.1",
                 "recipient": EMAIL})
    assert bounced["state"] == "bounced" and bounced["last_detail"] == "5.1.1"
    case = notifications.messages_about(TENANT, "application", application_id, WEBER)
    assert case["address_bounced"] is True
    assert case["messages"][0]["subject_line"] == "permit_submitted en"
    assert database["address_marks"].count_documents({}) == 1
    assert EMAIL not in str(list(database["address_marks"].find()))
    # the applicant's new address has not bounced
    owners.contacts[subject] = contact(email="neu@example.org")
    assert notifications.messages_about(TENANT, "application", application_id,
                                        WEBER)["address_bounced"] is False
    with pytest.raises(RemoteError) as unknown:
        notifications.record_delivery_report(
            TENANT, {"message_id": str(uuid.uuid4()), "action": "delivered",
                     "status": "2.0.0"})
    assert unknown.value.exc_type == "NotFound"  # the bounce receiver drops it
    with pytest.raises(RemoteError) as bad:
        notifications.record_delivery_report(TENANT, {"message_id": "x", "action": "lost",
                                                      "status": "9"})
    assert bad.value.exc_type == "ValidationFailed"


def test_a_new_message_is_sent_at_once_not_at_the_next_poll(start_notifications, owners,
                                                            service_config, database, channel):
    start_notifications(NOTIFICATIONS_POLL_SECONDS=60)  # only the handler's nudge can wake it
    owners.bookings["B-N"] = booking("B-N", None)
    publish(service_config, "appointments", "appointment_booked", booked("B-N"))
    message = wait_for(lambda: database["messages"].find_one({"about.id": "B-N",
                                                             "state": "accepted"}), timeout=5)
    assert message["updated_at"] - message["created_at"] < timedelta(seconds=2)
