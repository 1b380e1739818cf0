"""One request id from an RPC's context data through the service, the outbox relay and a handler.

The log lines are captured as the services write them (JSON through
``loket_common.logs.json_formatter``), so this checks the real pipeline.
"""
import json
import logging

import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from loket_common.events import Event, event_from_message
from loket_common.handlers import handle_once, reliable_event_handler
from loket_common.health import HealthMixin
from loket_common.logs import get_logger, json_formatter
from loket_common.mongo import MongoDatabase, Store, transaction
from loket_common.outbox import OutboxRelay, add_to_outbox
from loket_common.sealed_rpc import rpc
from loket_common.testing import wait_for

pytestmark = pytest.mark.integration

REQUEST_ID = "req-4f2a9c1e-trace"
log = get_logger("tests.request_ids")


class ParcelStore(Store):
    def send(self, tenant: str) -> str:
        event = Event(source="sender", type="parcel_sent", tenant=tenant, data={"parcel": 1})
        with transaction(self.database) as session:
            self.database["parcels"].insert_one({"tenant": tenant}, session=session)
            add_to_outbox(self.database, event, session)
        log.info("parcel sent", event_id=event.id)
        return event.id

    def receive(self, body: dict) -> None:
        event = event_from_message(body)

        def apply(session):
            # The handler's own event: it inherits the handled event's correlation_id.
            add_to_outbox(self.database, Event(source="receiver", type="parcel_received",
                                               tenant=event.tenant, data={"of": event.id}),
                          session)
        handle_once(self.database, event, "receive", apply)
        log.info("parcel received")


class ParcelDatabase(MongoDatabase):
    store_class = ParcelStore


class Sender(HealthMixin):
    name = "sender"
    store = ParcelDatabase()
    relay = OutboxRelay()

    @rpc
    def send(self, tenant):
        event_id = self.store.send(tenant)
        self.relay.nudge()
        return event_id


class Receiver(HealthMixin):
    name = "receiver"
    store = ParcelDatabase()
    relay = OutboxRelay()

    @reliable_event_handler("sender", "parcel_sent")
    def receive(self, body):
        self.store.receive(body)
        self.relay.nudge()


class JsonLines(logging.Handler):
    """Keeps every record as the JSON object the services would print."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.setFormatter(json_formatter())
        self.lines: list[dict] = []

    def emit(self, record):
        self.lines.append(json.loads(self.format(record)))

    def find(self, **fields):
        return [line for line in self.lines
                if all(line.get(key) == value for key, value in fields.items())]


@pytest.fixture
def captured():
    handler = JsonLines()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield handler
    root.removeHandler(handler)
    root.setLevel(level)


@pytest.fixture
def running(container_factory, service_config):
    for service in (Sender, Receiver):
        container_factory(service, service_config).start()
    return service_config


def received(database, event_id):
    return database["outbox"].find_one({"message.type": "parcel_received",
                                        "message.data.of": event_id,
                                        "published_at": {"$ne": None}})


def test_one_request_id_through_rpc_outbox_relay_and_handler(running, database, captured):
    with ServiceRpcProxy("sender", running, context_data={"request_id": REQUEST_ID}) as proxy:
        event_id = proxy.send("musterstadt")
    follow_up = wait_for(lambda: received(database, event_id))

    sent = database["outbox"].find_one({"_id": event_id})
    assert sent["message"]["correlation_id"] == REQUEST_ID
    assert follow_up["message"]["correlation_id"] == REQUEST_ID

    rpc_line, = captured.find(event="rpc handled", service="sender", entrypoint="send")
    assert rpc_line["request_id"] == REQUEST_ID and rpc_line["outcome"] == "ok"
    domain_line, = captured.find(event="parcel sent")
    assert domain_line["request_id"] == REQUEST_ID
    published, = captured.find(event="event published", event_id=event_id)
    assert published["request_id"] == REQUEST_ID
    assert published["event_type"] == "sender.parcel_sent"
    handled, = captured.find(event="event handled", event_id=event_id)
    assert handled["request_id"] == REQUEST_ID
    assert (handled["service"], handled["entrypoint"]) == ("receiver", "receive")
    in_handler, = captured.find(event="parcel received")
    assert (in_handler["request_id"], in_handler["event_id"]) == (REQUEST_ID, event_id)
    wait_for(lambda: captured.find(event="event published", event_id=follow_up["_id"]))
    relayed, = captured.find(event="event published", event_id=follow_up["_id"])
    assert relayed["request_id"] == REQUEST_ID


def test_without_a_request_id_nothing_is_inherited_from_an_earlier_worker(
        running, database, captured):
    with ServiceRpcProxy("sender", running, context_data={"request_id": REQUEST_ID}) as proxy:
        proxy.send("musterstadt")
    with ServiceRpcProxy("sender", running) as proxy:
        event_id = proxy.send("musterstadt")
    wait_for(lambda: received(database, event_id))
    assert database["outbox"].find_one({"_id": event_id})["message"]["correlation_id"] is None
    lines = captured.find(event="rpc handled", service="sender")
    assert [line.get("request_id") for line in lines] == [REQUEST_ID, None]


def test_an_invalid_request_id_is_not_bound(running, database, captured):
    with ServiceRpcProxy("sender", running, context_data={"request_id": "x y"}) as proxy:
        event_id = proxy.send("musterstadt")
    assert database["outbox"].find_one({"_id": event_id})["message"]["correlation_id"] is None
    line, = captured.find(event="rpc handled", service="sender")
    assert "request_id" not in line
