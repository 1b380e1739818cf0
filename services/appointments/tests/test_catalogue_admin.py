"""Catalogue maintenance against the real database and broker: versions, guards, audit."""
import threading
from datetime import UTC, datetime, timedelta

import pytest
from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ClusterRpcProxy

from loket_appointments.booking_desk import BookingDesk, ensure_desk_indexes
from loket_appointments.catalogue_admin import CatalogueAdmin, ensure_catalogue_indexes
from loket_appointments.dependencies import AppointmentsStore
from loket_appointments.exceptions import BookingsAffected, VersionConflict
from loket_appointments.ledger import ensure_ledger_indexes
from loket_appointments.service import AppointmentsService
from loket_common.errors import NotFound, ValidationFailed

pytestmark = pytest.mark.integration

TENANT = "testtown"
ADMIN = {"subject": "staff-1234", "role": "tenant_admin"}
TEXT = {"de": "Text", "en": "Text"}
EVERY_DAY = {day: [["08:00", "12:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat",
                                                   "sun")}
SERVICE = {"name": TEXT, "description": TEXT, "duration_minutes": 15, "fee_cents": 3700,
           "booking_policy": {"release_days_ahead": 14, "release_time": "00:00",
                              "min_lead_minutes": 0}}
OFFICE = {"name": TEXT, "address": {"street": "Markt 1", "postal_code": "1", "city": "X"},
          "accessibility": TEXT, "timezone": "Europe/Berlin", "service_ids": ["id-card"],
          "counters": [{"id": "c1", "name": TEXT, "service_ids": ["id-card"]}],
          "opening_hours": EVERY_DAY}
NOW = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)  # 07:00 Berlin
SLOT = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)  # 08:00 Berlin, tomorrow
CONTACT = {"name": "Erika Mustermann", "email": "erika@example.org", "language": "de"}


@pytest.fixture
def admin(database):
    AppointmentsStore(database).ensure_indexes()
    admin = CatalogueAdmin(database, TENANT, ADMIN, now=lambda: NOW)
    admin.put_service("id-card", SERVICE, None)
    admin.put_office("rathaus", OFFICE, None)
    return admin


def hold(database, admin):
    """Hold tomorrow 08:00 at counter c1 (expires after 5 minutes)."""
    ensure_desk_indexes(database)
    ensure_ledger_indexes(database)
    desk = BookingDesk(database, TENANT, now=lambda: NOW)
    return desk, desk.hold(admin.get("office", "rathaus"), admin.get("service", "id-card"),
                           SLOT, "client", None)


@pytest.fixture
def booked(database, admin):
    """A confirmed booking tomorrow 08:00 at counter c1."""
    desk, held = hold(database, admin)
    booking, _ = desk.confirm(held["id"], CONTACT, max_active=lambda service_id: 1)
    return booking


def test_create_replace_and_stale_versions(admin, database):
    office = admin.get("office", "rathaus")
    assert (office["version"], office["active"]) == (1, True)
    with pytest.raises(VersionConflict):
        admin.put_office("rathaus", OFFICE, None)  # exists already
    replaced = admin.put_office("rathaus", {**OFFICE, "accessibility": {"de": "a", "en": "b"}},
                                1)
    assert replaced["version"] == 2
    with pytest.raises(VersionConflict) as stale:
        admin.put_office("rathaus", OFFICE, 1)
    assert stale.value.extra["current_version"] == 2
    with pytest.raises(NotFound):
        admin.put_office("elsewhere", OFFICE, 1)
    changes = list(database["catalogue_changes"].find({"tenant": TENANT}, sort=[("_id", 1)]))
    assert [(c["entity"], c["action"], c["version_before"], c["version_after"])
            for c in changes] == [("service", "created", None, 1), ("office", "created", None, 1),
                                  ("office", "replaced", 1, 2)]
    assert all(change["actor"] == ADMIN for change in changes)
    events = [entry["message"] for entry in database["outbox"].find(sort=[("created_at", 1)])]
    assert [event["type"] for event in events] == ["catalogue_changed"] * 3
    assert events[-1]["data"] == {"entity": "office", "id": "rathaus", "action": "replaced",
                                  "version": 2, "active": True}


def test_two_concurrent_updates_exactly_one_wins(admin):
    outcomes = []

    def update(n):
        try:
            admin.put_office("rathaus", {**OFFICE, "accessibility": {"de": str(n), "en": "x"}},
                             1)
            outcomes.append("won")
        except VersionConflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=update, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict"] * 7 + ["won"]
    assert admin.get("office", "rathaus")["version"] == 2


def test_offices_name_only_existing_active_services(admin):
    with pytest.raises(ValidationFailed):
        admin.put_office("nord", {**OFFICE, "service_ids": ["id-card", "passport"]}, None)
    with pytest.raises(ValidationFailed):
        admin.put_office("nord", {**OFFICE, "counters": [
            {"id": "c1", "name": TEXT, "service_ids": ["passport"]}]}, None)
    with pytest.raises(ValidationFailed):
        admin.put_service("passport", {**SERVICE, "duration_minutes": 7}, None)


def test_a_closure_over_a_booked_day_is_refused(admin, booked):
    with pytest.raises(BookingsAffected) as refused:
        admin.add_closure("rathaus", {"date": "2026-11-24", "reason": TEXT}, 1)
    assert refused.value.extra["affected_bookings"] == 1
    closed = admin.add_closure("rathaus", {"date": "2026-11-25", "reason": TEXT}, 1)
    assert [c["date"] for c in closed["closures"]] == ["2026-11-25"]
    with pytest.raises(ValidationFailed):  # one closure per day
        admin.add_closure("rathaus", {"date": "2026-11-25", "reason": TEXT}, 2)
    reopened = admin.remove_closure("rathaus", "2026-11-25", 2)
    assert reopened["closures"] == [] and reopened["version"] == 3
    with pytest.raises(NotFound):
        admin.remove_closure("rathaus", "2026-11-25", 3)


def test_a_live_hold_counts_an_expired_one_does_not(admin, database):
    hold(database, admin)
    closure = {"date": "2026-11-24", "reason": TEXT}
    with pytest.raises(BookingsAffected):
        admin.add_closure("rathaus", closure, 1)
    later = CatalogueAdmin(database, TENANT, ADMIN, now=lambda: NOW + timedelta(minutes=6))
    assert later.add_closure("rathaus", closure, 1)["version"] == 2


def test_changes_that_strand_bookings_are_refused(admin, booked):
    later = {**OFFICE, "opening_hours": {"tue": [["09:00", "12:00"]]}}
    with pytest.raises(BookingsAffected):
        admin.put_office("rathaus", later, 1)
    with pytest.raises(BookingsAffected):
        admin.deactivate("office", "rathaus", 1)
    with pytest.raises(BookingsAffected):
        admin.deactivate("service", "id-card", 1)
    kept = admin.put_office("rathaus", {**OFFICE, "opening_hours": {"tue": [["08:00", "09:00"]]}},
                            1)
    assert kept["version"] == 2


def test_deactivated_entries_are_kept_but_not_offered(admin, database):
    store = AppointmentsStore(database)
    admin.put_service("passport", SERVICE, None)
    deactivated = admin.deactivate("service", "passport", 1)
    assert (deactivated["active"], deactivated["version"]) == (False, 2)
    assert store.service(TENANT, "passport")["active"] is False
    admin.deactivate("office", "rathaus", 1)
    assert store.offices_with_services(TENANT) == []
    assert {entry["id"] for entry in store.all_entries(TENANT, "offices")} == {"rathaus"}
    assert admin.put_office("rathaus", OFFICE, 2)["active"] is True  # replacing reactivates


def test_availability_follows_admin_changes_at_once(container_factory, service_config,
                                                    database):
    container_factory(AppointmentsService, service_config).start()
    ensure_catalogue_indexes(database)
    with ClusterRpcProxy(service_config) as rpc:
        appointments = rpc.appointments
        appointments.put_service(TENANT, "id-card", {**SERVICE, "booking_policy": {
            "release_days_ahead": 14, "release_time": "00:00", "min_lead_minutes": 0}},
            None, ADMIN)
        office = appointments.put_office(TENANT, "rathaus", OFFICE, None, ADMIN)
        tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
        query = {"service_id": "id-card", "date_from": tomorrow, "date_to": tomorrow}
        assert len(appointments.search_slots(TENANT, query)) == 16  # 08:00-12:00 by 15 min
        office = appointments.put_office(TENANT, "rathaus", {
            **OFFICE, "opening_hours": {day: [["08:00", "09:00"]] for day in EVERY_DAY}},
            office["version"], ADMIN)
        assert len(appointments.search_slots(TENANT, query)) == 4
        office = appointments.add_closure(TENANT, "rathaus", {"date": tomorrow, "reason": TEXT},
                                          office["version"], ADMIN)
        assert appointments.search_slots(TENANT, query) == []
        assert appointments.list_closures(TENANT, "rathaus")["version"] == office["version"]
        with pytest.raises(RemoteError) as stale:
            appointments.remove_closure(TENANT, "rathaus", tomorrow, 1, ADMIN)
        assert stale.value.exc_type == "VersionConflict"
        appointments.remove_closure(TENANT, "rathaus", tomorrow, office["version"], ADMIN)
        assert len(appointments.search_slots(TENANT, query)) == 4
        listed = appointments.list_catalogue(TENANT)
        assert [entry["version"] for entry in listed["offices"]] == [4]
        trail = appointments.list_catalogue_changes(TENANT, 2)
        assert [(c["action"], c["version_after"]) for c in trail] == [
            ("closure_removed", 4), ("closure_added", 3)]
        assert trail[0]["actor"] == ADMIN


def test_replacing_an_office_keeps_its_closures_unless_it_names_them(admin):
    closure = {"date": "2026-12-24", "reason": TEXT}
    admin.add_closure("rathaus", closure, 1)
    assert admin.put_office("rathaus", OFFICE, 2)["closures"] == [closure]
    assert admin.put_office("rathaus", {**OFFICE, "closures": []}, 3)["closures"] == []


def test_a_service_keeps_its_leika_key_and_every_listing_answers_it(
        container_factory, service_config, database):
    container_factory(AppointmentsService, service_config).start()
    ensure_catalogue_indexes(database)
    key = "99115005104000"
    with ClusterRpcProxy(service_config) as rpc:
        appointments = rpc.appointments
        created = appointments.put_service(TENANT, "id-card", {**SERVICE, "service_key": key},
                                           None, ADMIN)
        appointments.put_office(TENANT, "rathaus", OFFICE, None, ADMIN)
        assert created["service_key"] == key
        assert appointments.get_service(TENANT, "id-card")["service_key"] == key
        assert appointments.list_catalogue(TENANT)["services"][0]["service_key"] == key
        assert appointments.list_offices(TENANT)[0]["services"][0]["service_key"] == key
        with pytest.raises(RemoteError) as bad:
            appointments.put_service(TENANT, "id-card", {**SERVICE, "service_key": "9911500"},
                                     created["version"], ADMIN)
        assert bad.value.exc_type == "ValidationFailed" and "service_key" in bad.value.value
        # a PUT replaces the service whole: without the key it has none
        replaced = appointments.put_service(TENANT, "id-card", SERVICE, created["version"],
                                            ADMIN)
        assert replaced["service_key"] is None
        assert appointments.get_service(TENANT, "id-card")["service_key"] is None
