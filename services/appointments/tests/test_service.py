import pytest
from nameko.testing.services import worker_factory

from loket_appointments.demo import TENANT, seed
from loket_appointments.dependencies import AppointmentsStore
from loket_appointments.service import AppointmentsService
from loket_common.errors import NotFound, UnknownTenant


def test_list_offices_dumps_what_the_store_holds():
    service = worker_factory(AppointmentsService)
    service.store.offices_with_services.return_value = [{
        "id": "rathaus", "name": {"de": "Rathaus", "en": "Town hall"},
        "address": {"street": "Markt 1", "postal_code": "1", "city": "X"},
        "accessibility": {"de": "a", "en": "a"}, "service_ids": ["id-card"], "services": []}]
    offices = service.list_offices("musterstadt")
    service.store.offices_with_services.assert_called_once_with("musterstadt")
    assert offices[0]["name"]["en"] == "Town hall"


@pytest.mark.parametrize("tenant", ["", "Musterstadt", {"$ne": None}, None])
def test_malformed_tenants_never_reach_the_store(tenant):
    service = worker_factory(AppointmentsService)
    with pytest.raises(UnknownTenant):
        service.list_offices(tenant)
    service.store.offices_with_services.assert_not_called()


def test_unknown_resident_is_not_found():
    service = worker_factory(AppointmentsService)
    service.store.resident.return_value = None
    with pytest.raises(NotFound):
        service.get_resident("musterstadt", "nobody")


@pytest.mark.integration
def test_offices_are_read_per_tenant(database):
    store = AppointmentsStore(database)
    seed(store)
    seed(store)  # seeding twice changes nothing
    offices = store.offices_with_services(TENANT)
    assert [office["id"] for office in offices] == ["nord", "rathaus"]
    assert {service["id"] for service in offices[1]["services"]} == {
        "id-card", "passport", "registration", "good-conduct"}
    assert store.offices_with_services("elsewhere") == []
    policies = {service["id"]: service["booking_policy"] for service in offices[1]["services"]}
    assert policies["passport"]["release_mode"] == "lottery"
    assert policies["id-card"]["release_mode"] == "first_come"
    assert all(index["key"][0][0] in ("_id", "tenant")
               for index in database["offices"].index_information().values())


@pytest.mark.parametrize("call", [
    lambda s: s.list_catalogue("Bad Tenant"),
    lambda s: s.get_office("Bad Tenant", "rathaus"),
    lambda s: s.put_office("Bad Tenant", "rathaus", {}, None, {}),
    lambda s: s.put_service("Bad Tenant", "id-card", {}, None, {}),
    lambda s: s.add_closure("Bad Tenant", "rathaus", {}, 1, {}),
    lambda s: s.remove_closure("Bad Tenant", "rathaus", "2026-12-24", 1, {}),
    lambda s: s.deactivate("Bad Tenant", "office", "rathaus", 1, {}),
    lambda s: s.list_catalogue_changes("Bad Tenant"),
])
def test_catalogue_rpcs_check_the_tenant_first(call):
    service = worker_factory(AppointmentsService)
    with pytest.raises(UnknownTenant):
        call(service)
    service.store.catalogue.assert_not_called()
    service.relay.nudge.assert_not_called()
