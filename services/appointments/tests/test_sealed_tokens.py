"""Tokens that open a booking or an entry: hashed at rest, sealed for the notifications service.

The outbox, the broker and the database hold no manage or status token in plain; the sealed
one opens with the notifications service's private key and with no other key.
"""
import os
from datetime import UTC, datetime

import pytest
from kombu import Connection, Queue
from nameko.standalone.rpc import ClusterRpcProxy

from loket_appointments.booking_desk import BookingDesk, DeskSettings, ensure_desk_indexes
from loket_appointments.ledger import ensure_ledger_indexes
from loket_appointments.outbox_tokens import seal_plain_outbox_tokens
from loket_appointments.service import AppointmentsService
from loket_appointments.settings import Settings
from loket_common.sealing import (
    NOTIFICATIONS_PRIVATE_KEY_VARIABLE,
    Sealer,
    Unopenable,
    new_keypair,
    open_sealed,
)
from loket_common.settings import SettingsError
from loket_common.testing import database_text, outbox_data, wait_for
from loket_common.topology import event_exchange

pytestmark = pytest.mark.integration

TENANT = "testtown"
OFFICE = {"id": "rathaus", "timezone": "Europe/Berlin", "service_ids": ["id-card"],
          "counters": [{"id": "c1", "service_ids": ["id-card"]}],
          "opening_hours": {day: [["08:00", "12:00"]]
                            for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}}
SERVICE = {"id": "id-card", "duration_minutes": 15,
           "booking_policy": {"release_days_ahead": 14, "release_time": "00:00",
                              "min_lead_minutes": 0, "max_active_bookings_per_person": 5}}
NOW = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
SLOT = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
CONTACT = {"name": "Erika Mustermann", "email": "erika@example.org", "language": "de"}


def private_key() -> str:
    """The notifications service's private key (the test plugin made the pair)."""
    return os.environ[NOTIFICATIONS_PRIVATE_KEY_VARIABLE]


@pytest.fixture
def desk(database):
    ensure_desk_indexes(database)
    ensure_ledger_indexes(database)
    return BookingDesk(database, TENANT, DeskSettings(), now=lambda: NOW)


def test_the_booked_event_holds_the_token_sealed_and_nothing_holds_it_in_plain(desk, database):
    held = desk.hold(OFFICE, SERVICE, SLOT, "client-a", None)
    booking, token = desk.confirm(held["id"], CONTACT, max_active=lambda service_id: 5)
    [booked] = outbox_data(database, "appointment_booked")
    assert "manage_token" not in booked
    assert token not in database_text(database)  # outbox, bookings, everything
    assert open_sealed(private_key(), booked["sealed_manage_token"]) == token
    _, someone_else = new_keypair()
    with pytest.raises(Unopenable):
        open_sealed(someone_else, booked["sealed_manage_token"])
    assert desk.by_manage_token(booking["reference"], token)["id"] == held["id"]


def test_the_service_refuses_to_start_without_a_usable_public_key():
    with pytest.raises(SettingsError, match="LOKET_NOTIFICATIONS_PUBLIC_KEY"):
        Settings(notifications_public_key="not a key")
    assert not any("PRIVATE" in variable.name for variable in Settings.variables())


def test_the_broker_carries_only_the_sealed_token(container_factory, service_config, database):
    from loket_appointments.dependencies import AppointmentsStore

    store = AppointmentsStore(database)
    store.put_service(TENANT, {**SERVICE, "booking_policy": {
        **SERVICE["booking_policy"], "release_days_ahead": 7}})
    store.put_office(TENANT, OFFICE)
    with Connection(service_config["AMQP_URI"]) as connection:
        queue = Queue("test-booked", exchange=event_exchange("appointments"),
                      routing_key="appointment_booked", durable=False, auto_delete=False)
        queue(connection.channel()).declare()
        container_factory(AppointmentsService, service_config).start()
        with ClusterRpcProxy(service_config) as rpc:
            slot = rpc.appointments.search_slots(TENANT, {"service_id": "id-card",
                                                          "limit": 1})[0]
            held = rpc.appointments.hold_slot(TENANT, {
                "service_id": "id-card", "office_id": "rathaus", "start": slot["start"]},
                "client", None)
            token = rpc.appointments.confirm_hold(TENANT, held["hold_id"],
                                                  CONTACT)["manage_token"]
        bound = queue(connection.channel())
        message = wait_for(lambda: bound.get(no_ack=True))
    assert token not in str(message.body)
    assert open_sealed(private_key(), message.payload["data"]["sealed_manage_token"]) == token


def test_outbox_entries_from_before_are_sealed_once(database):
    public, private = new_keypair()
    plain = {"appointment_booked": {"manage_token": "plain-manage-1"},
             "appointment_lottery_entered": {"status_token": "plain-status-1"},
             "appointment_lottery_result": {"booking": {"manage_token": "plain-manage-2",
                                                        "reference": "K7M2-Q9XP"}},
             "appointment_cancelled": {"reference": "K7M2-Q9XP"}}
    for number, (event_type, data) in enumerate(plain.items()):
        database["outbox"].insert_one({
            "_id": f"event-{number}", "tenant": TENANT, "published_at": NOW if number else None,
            "message": {"type": event_type, "data": {"reference": "K7M2-Q9XP", **data}}})
    assert seal_plain_outbox_tokens(database, Sealer(public)) == 3
    assert seal_plain_outbox_tokens(database, Sealer(public)) == 0
    assert "plain-" not in database_text(database)
    booked, entered, result = (outbox_data(database, event_type)[0] for event_type in plain
                               if event_type != "appointment_cancelled")
    assert open_sealed(private, booked["sealed_manage_token"]) == "plain-manage-1"
    assert open_sealed(private, entered["sealed_status_token"]) == "plain-status-1"
    assert open_sealed(private, result["booking"]["sealed_manage_token"]) == "plain-manage-2"
    assert result["booking"]["reference"] == "K7M2-Q9XP"
