"""The outbox, durable topology, retry/dead-letter and idempotency against the real broker."""
import pytest
from kombu import Connection
from nameko.standalone.rpc import ServiceRpcProxy

from loket_common.events import Event, event_from_message
from loket_common.handlers import handle_once, reliable_event_handler
from loket_common.mongo import MongoDatabase, Store, transaction
from loket_common.outbox import OutboxRelay, add_to_outbox
from loket_common.sealed_rpc import rpc
from loket_common.testing import runs_of, wait_for
from loket_common.topology import Subscription, declare

pytestmark = pytest.mark.integration

FAILURES: list[str] = []
DELIVERIES: list[str] = []


class ThingStore(Store):
    """A state change that always comes with its event."""

    def add_thing(self, tenant: str, name: str) -> str:
        event = Event(source="publisher", type="thing_added", tenant=tenant, data={"name": name})
        with transaction(self.database) as session:
            self.database["things"].insert_one({"tenant": tenant, "name": name}, session=session)
            add_to_outbox(self.database, event, session)
        return event.id

    def record(self, body: dict) -> bool:
        event = event_from_message(body)
        return handle_once(self.database, event, "record", lambda session: self.database[
            "seen"].insert_one({"event": event.id, "name": event.data["name"]}, session=session))


class ThingDatabase(MongoDatabase):
    store_class = ThingStore


class Publisher:
    name = "publisher"
    store = ThingDatabase()
    relay = OutboxRelay()

    @rpc
    def add_thing(self, tenant, name):
        event_id = self.store.add_thing(tenant, name)
        self.relay.nudge()
        return event_id


class Consumer:
    name = "consumer"
    store = ThingDatabase()

    @reliable_event_handler("publisher", "thing_added")
    def record(self, body):
        DELIVERIES.append(body["id"])
        self.store.record(body)


class FailingConsumer:
    name = "failing"

    @reliable_event_handler("publisher", "thing_added")
    def explode(self, body):
        FAILURES.append(body["id"])
        raise RuntimeError("handler bug")


SUBSCRIPTION = Subscription("publisher", "thing_added", "consumer", "record")
FAILING = Subscription("publisher", "thing_added", "failing", "explode")


def queue_depth(config, name):
    with Connection(config["AMQP_URI"]) as connection:
        _, count, _ = connection.default_channel.queue_declare(name, passive=True)
        return count


def test_event_emitted_while_consumer_is_stopped_is_handled_when_it_starts(
        container_factory, service_config, database):
    with Connection(service_config["AMQP_URI"]) as connection:  # as deploy/topology.yml does
        declare(connection, [SUBSCRIPTION], (50, 100))
    publisher = container_factory(Publisher, service_config)
    publisher.start()
    with ServiceRpcProxy("publisher", service_config) as proxy:
        event_id = proxy.add_thing("musterstadt", "bench")
    wait_for(lambda: database["outbox"].find_one({"_id": event_id, "published_at": {"$ne": None}}))
    assert queue_depth(service_config, SUBSCRIPTION.queue_name) == 1  # waiting, not dropped

    consumer = container_factory(Consumer, service_config)
    consumer.start()
    seen = wait_for(lambda: database["seen"].find_one({"event": event_id}))
    assert seen["name"] == "bench"
    assert database["things"].count_documents({"name": "bench"}) == 1


def test_failing_handler_is_retried_with_back_off_then_dead_lettered(
        container_factory, service_config, database):
    FAILURES.clear()
    failing = container_factory(FailingConsumer, service_config)
    failing.start()
    publisher = container_factory(Publisher, service_config)
    publisher.start()
    with ServiceRpcProxy("publisher", service_config) as proxy:
        event_id = proxy.add_thing("musterstadt", "fragile")
    wait_for(lambda: queue_depth(service_config, FAILING.dead_letter_queue_name) == 1)
    assert FAILURES == [event_id] * 3  # first try plus one retry per delay (50, 100 ms)
    assert queue_depth(service_config, FAILING.queue_name) == 0


def test_dead_letters_can_be_replayed(container_factory, service_config, database):
    from loket_common.replay_cli import replay

    FAILURES.clear()
    failing = container_factory(FailingConsumer, service_config)
    failing.start()
    publisher = container_factory(Publisher, service_config)
    publisher.start()
    with ServiceRpcProxy("publisher", service_config) as proxy:
        proxy.add_thing("musterstadt", "again")
    wait_for(lambda: queue_depth(service_config, FAILING.dead_letter_queue_name) == 1)
    with Connection(service_config["AMQP_URI"]) as connection:
        assert replay(connection, FAILING.queue_name, list_only=True) == 1
    assert queue_depth(service_config, FAILING.dead_letter_queue_name) == 1  # listing keeps it
    with Connection(service_config["AMQP_URI"]) as connection:
        assert replay(connection, FAILING.queue_name) == 1
    # Replayed with a fresh attempt count: three more tries, then dead again.
    wait_for(lambda: len(FAILURES) == 6 and
             queue_depth(service_config, FAILING.dead_letter_queue_name) == 1)


def test_redelivered_event_is_not_handled_twice(container_factory, service_config, database):
    DELIVERIES.clear()
    consumer = container_factory(Consumer, service_config)
    consumer.start()
    event = Event(source="publisher", type="thing_added", tenant="musterstadt",
                  data={"name": "twice"})
    with runs_of(consumer, "record", 3), Connection(service_config["AMQP_URI"]) as connection:
        producer = connection.Producer()
        for _ in range(3):  # e.g. a relay that crashed before marking it published
            producer.publish(event.to_message(), exchange="publisher.events",
                             routing_key="thing_added", serializer="json")
    assert len(DELIVERIES) >= 3  # the handler ran to the end for every delivery...
    assert database["seen"].count_documents({"event": event.id}) == 1  # ...its effect once
    assert database["handled_events"].count_documents({}) == 1
