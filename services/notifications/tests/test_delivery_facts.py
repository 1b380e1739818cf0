# SPDX-License-Identifier: EUPL-1.2
"""notification_sent and notification_failed: told once per message, through the outbox, with
nothing personal in them; and the pure rules behind them."""
from datetime import UTC, datetime

import pytest
from nameko.events import event_handler
from nameko.standalone.rpc import ServiceRpcProxy

from loket_common.testing import outbox_data, wait_for
from loket_notifications.delivery_facts import (
    FAILED,
    SENT,
    already_told,
    fact_event,
    fact_of,
    told_field,
)

from .helpers import EMAIL, TENANT, WEBER, Result, application, booking, contact, new_subject
from .helpers import publish as publish_event
from .test_sending import booked, state_of

AT = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(("state", "fact"), [
    ("accepted", SENT), ("delivered", SENT), ("permanent_failure", FAILED),
    ("bounced", FAILED), ("queued", None), ("sending", None), ("temporary_failure", None),
    ("not_sent", None), (None, None)])
def test_which_states_tell_a_fact(state, fact):
    assert fact_of(state) == fact


def test_a_fact_names_kind_channel_and_state_only():
    message = {"id": "8c1f0c3e-6f7a-4a53-9d55-0f7c1c1d2e3f", "tenant": TENANT,
               "kind": "booking_confirmed", "channel": "sms", "subject_index": "blind",
               "key_owner": "r-1", "content": "sealed", "about": {"kind": "booking", "id": "B"}}
    event = fact_event(message, SENT, "accepted", AT)
    assert (event.source, event.type, event.tenant) == ("notifications", SENT, TENANT)
    assert event.occurred_at == AT.isoformat()
    assert event.data == {"kind": "booking_confirmed", "channel": "sms", "state": "accepted"}
    assert not already_told(message, SENT)
    assert already_told({**message, "told": {SENT: True}}, SENT)
    assert not already_told({**message, "told": {SENT: True}}, FAILED)
    assert told_field(FAILED) == "told.notification_failed"


RECEIVED: list[dict] = []


class StatisticsStandIn:
    """Hears the facts as the statistics service does (a real consumer on the broker)."""

    name = "statistics_stand_in"

    @event_handler("notifications", SENT)
    def on_sent(self, body):
        RECEIVED.append(body)

    @event_handler("notifications", FAILED)
    def on_failed(self, body):
        RECEIVED.append(body)


@pytest.mark.integration
def test_sent_once_though_delivered_later_then_failed_once_by_a_bounce(
        notifications, owners, service_config, database, container_factory):
    RECEIVED.clear()
    container_factory(StatisticsStandIn, service_config).start()
    subject, application_id = new_subject(), "a-facts-1"
    owners.applications[application_id] = application(application_id, subject)
    owners.contacts[subject] = contact()
    publish_event(service_config, "permits", "permit_submitted",
                  {"application_id": application_id, "subject": subject})
    message = state_of(database, {"about.id": application_id}, "accepted")
    sent = wait_for(lambda: outbox_data(database, SENT))
    assert sent == [{"kind": "permit_submitted", "channel": "email", "state": "accepted"}]
    for action, status in (("delivered", "2.0.0"), ("delivered", "2.0.0"),
                           ("failed", "5.1.1"), ("failed", "5.1.1")):
        notifications.record_delivery_report(TENANT, {"message_id": message["id"],
                                                      "action": action, "status": status})
    assert len(outbox_data(database, SENT)) == 1
    assert outbox_data(database, FAILED) == [{
        "kind": "permit_submitted", "channel": "email", "state": "bounced"}]
    # the relay published both to the broker, where a consumer hears them
    wait_for(lambda: len(RECEIVED) == 2)
    assert sorted(body["type"] for body in RECEIVED) == [FAILED, SENT]
    told = "\n".join(str(entry) for entry in database["outbox"].find(
        {"message.type": {"$in": [SENT, FAILED]}}))
    assert EMAIL not in told and subject not in told and application_id not in told


@pytest.mark.integration
def test_a_permanent_failure_resent_and_failing_again_fails_once_then_sent_once(
        start_notifications, owners, service_config, database, channel):
    start_notifications(NOTIFICATIONS_RETRY_FIRST_SECONDS=0.2)
    owners.bookings["B-F1"] = booking("B-F1", None)
    channel.script += [Result("permanent_failure", "local", "5.1.1"),
                       Result("permanent_failure", "local", "5.1.1")]
    publish_event(service_config, "appointments", "appointment_booked", booked("B-F1"))
    failed = state_of(database, {"about.id": "B-F1"}, "permanent_failure")
    assert outbox_data(database, SENT) == []
    with ServiceRpcProxy("notifications", service_config) as rpc:
        rpc.resend_message(TENANT, failed["id"], WEBER)
        wait_for(lambda: len(channel.sent) == 2
                 and database["messages"].find_one({"id": failed["id"]})["state"]
                 == "permanent_failure")
        rpc.resend_message(TENANT, failed["id"], WEBER)
    state_of(database, {"id": failed["id"]}, "accepted")
    assert [data["state"] for data in outbox_data(database, FAILED)] == ["permanent_failure"]
    assert [data["kind"] for data in wait_for(lambda: outbox_data(database, SENT))] == [
        "booking_confirmed"]
