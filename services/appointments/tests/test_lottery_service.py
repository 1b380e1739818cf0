"""The lottery through the service's RPCs and timer, with real RabbitMQ and database."""
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from kombu import Connection, Queue
from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ClusterRpcProxy

from loket_appointments.dependencies import AppointmentsStore
from loket_appointments.service import AppointmentsService
from loket_common.testing import wait_for
from loket_common.topology import event_exchange

pytestmark = pytest.mark.integration

TENANT = "testtown"
ALL_WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def open_lottery_now(store):
    """A lottery service released a minute ago: its window is open now; one slot."""
    now_local = datetime.now(ZoneInfo("Europe/Berlin"))
    released = (now_local - timedelta(minutes=1)).strftime("%H:%M")
    store.put_service(TENANT, {
        "id": "scarce", "duration_minutes": 20, "booking_policy": {
            "release_days_ahead": 7, "release_time": released, "min_lead_minutes": 0,
            "max_active_bookings_per_person": 1, "release_mode": "lottery",
            "lottery_window_minutes": 60}})
    store.put_office(TENANT, {
        "id": "rathaus", "timezone": "Europe/Berlin", "service_ids": ["scarce"],
        "counters": [{"id": "c1", "service_ids": ["scarce"]}],
        "opening_hours": {day: [["08:00", "08:20"]] for day in ALL_WEEK}})


def close_window(database):
    """End the window now (the test does not wait an hour): the draw is due."""
    database["services"].update_one({"id": "scarce"},
                                    {"$set": {"booking_policy.lottery_window_minutes": 1}})
    database["lottery_entries"].update_many(
        {}, {"$set": {"draw_at": datetime.now(UTC) - timedelta(seconds=1)}})


def person(n):
    return {"service_id": "scarce", "name": f"Person {n}", "email": f"p{n}@example.org",
            "language": "de"}


def test_enter_draw_and_learn_the_result(container_factory, service_config, database):
    store = AppointmentsStore(database)
    open_lottery_now(store)
    container_factory(AppointmentsService, service_config).start()
    with Connection(service_config["AMQP_URI"]) as connection:
        events = Queue("test-lottery-events", exchange=event_exchange("appointments"),
                       routing_key="#")
        events(connection.default_channel).declare()
        with ClusterRpcProxy(service_config) as rpc:
            release = rpc.appointments.release_info(TENANT, "scarce")
            assert (release["mode"], release["state"]) == ("lottery", "open")
            entries = [rpc.appointments.enter_lottery(TENANT, person(n)) for n in range(3)]
            with pytest.raises(RemoteError) as duplicate:
                rpc.appointments.enter_lottery(TENANT, person(0))
            assert duplicate.value.exc_type == "AlreadyEntered"
            assert rpc.appointments.search_slots(TENANT, {
                "service_id": "scarce", "date_from": release["day"],
                "date_to": release["day"]}) == []
            close_window(database)
            assert rpc.appointments.release_info(TENANT, "scarce")["state"] == "drawing"

            def decided():
                found = [rpc.appointments.lottery_entry(
                    TENANT, entry["entry"]["reference"], entry["status_token"])
                    for entry in entries]
                return found if all(f["state"] != "pending" for f in found) else None

            results = wait_for(decided, timeout=30)
            assert rpc.appointments.release_info(TENANT, "scarce")["state"] == "drawn"
        assert sorted(result["state"] for result in results) == [
            "allocated", "not_allocated", "not_allocated"]
        won = next(result for result in results if result["state"] == "allocated")
        assert won["booking"]["office_id"] == "rathaus"
        assert won["booking"]["start"].startswith(release["day"])

        def published():
            queue = events(connection.default_channel)
            while (message := queue.get(no_ack=True)) is not None:
                published.types.append(message.payload["type"])
            return len(published.types) >= 7 and published.types
        published.types = []
        types = wait_for(published, timeout=15)
    assert sorted(types) == sorted(["appointment_lottery_entered"] * 3
                                   + ["appointment_lottery_result"] * 3
                                   + ["appointment_booked"])
