import uuid

import pytest
from marshmallow import ValidationError

from loket_common.events import Event, event_from_message
from loket_common.handlers import retry_delays
from loket_common.topology import Subscription, event_exchange


def test_event_round_trips_through_its_message():
    event = Event(source="profile", type="profile_created", tenant="musterstadt",
                  data={"subject": "s-1"})
    assert event_from_message(event.to_message()) == event
    uuid.UUID(event.id)  # ids are random UUIDs, never sequential


def test_event_ids_differ():
    first = Event(source="a", type="b", tenant="t", data={})
    second = Event(source="a", type="b", tenant="t", data={})
    assert first.id != second.id


@pytest.mark.parametrize("missing", ["id", "tenant", "type", "data"])
def test_event_without_a_required_part_is_rejected(missing):
    message = Event(source="a", type="b", tenant="t", data={}).to_message()
    del message[missing]
    with pytest.raises(ValidationError):
        event_from_message(message)


def test_subscription_names_follow_nameko():
    subscription = Subscription("profile", "profile_created", "appointments", "record_resident")
    assert subscription.queue_name == "evt-profile-profile_created--appointments.record_resident"
    assert subscription.queue().exchange.name == "profile.events"
    assert subscription.queue().durable


def test_retry_queues_route_back_to_the_handler_queue_after_their_delay():
    subscription = Subscription("profile", "profile_created", "appointments", "record_resident")
    first, second = subscription.retry_queues([100, 2000])
    assert first.name.endswith(".retry.100ms")
    assert first.queue_arguments == {
        "x-message-ttl": 100,
        "x-dead-letter-exchange": "",
        "x-dead-letter-routing-key": subscription.queue_name,
    }
    assert second.queue_arguments["x-message-ttl"] == 2000
    assert subscription.dead_letter_queue().name == subscription.queue_name + ".dead"


def test_event_exchange_is_durable_topic():
    exchange = event_exchange("permits")
    assert (exchange.name, exchange.type, exchange.durable, exchange.auto_delete) == (
        "permits.events", "topic", True, False)


@pytest.mark.parametrize("value, expected", [
    (None, (1000, 10000, 60000)),
    ("50,200", (50, 200)),
    ([5, 10], (5, 10)),
    ("100, 400 ,", (100, 400)),
])
def test_retry_delays_from_config(value, expected):
    assert retry_delays({"EVENT_RETRY_DELAYS_MS": value}) == expected
