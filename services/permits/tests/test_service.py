import pytest
from nameko.standalone.rpc import ServiceRpcProxy
from nameko.testing.services import worker_factory

from loket_common.errors import UnknownTenant, ValidationFailed
from loket_common.validation import load
from loket_permits.demo import PERMIT_TYPES, TENANT, seed
from loket_permits.dependencies import PermitsStore
from loket_permits.schemas import PermitTypeSchema
from loket_permits.service import PermitsService


def test_permit_types_keep_their_fields_and_why_texts():
    service = worker_factory(PermitsService)
    service.store.permit_types.return_value = [load(PermitTypeSchema(), PERMIT_TYPES[0])]
    [parking] = service.list_permit_types("musterstadt")
    assert parking["fields"][0]["why"]["de"]


def test_a_field_without_why_text_is_rejected():
    broken = {**PERMIT_TYPES[0], "fields": [{**PERMIT_TYPES[0]["fields"][0]}]}
    del broken["fields"][0]["why"]
    with pytest.raises(ValidationFailed) as caught:
        load(PermitTypeSchema(), broken)
    assert caught.value.extra["invalid_params"][0]["name"] == "fields.0.why"


def test_malformed_tenant_is_rejected():
    with pytest.raises(UnknownTenant):
        worker_factory(PermitsService).list_permit_types("../etc")


@pytest.mark.integration
def test_list_permit_types_over_rpc(container_factory, service_config, database):
    seed(PermitsStore(database))
    container_factory(PermitsService, service_config).start()
    with ServiceRpcProxy("permits", service_config) as permits:
        types = permits.list_permit_types(TENANT)
        assert permits.list_permit_types("other-town") == []
        assert permits.health() == {"service": "permits", "database": "ok"}
    assert [item["id"] for item in types] == ["residents-parking", "special-use"]
