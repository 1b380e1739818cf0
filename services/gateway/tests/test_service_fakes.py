"""The services' fakes follow the contract: a renamed or re-typed RPC fails the gateway's tests.

The conftest's ``services`` fixture fakes each service from its Protocol in
``loket_contracts``. Here the profile contract is changed the way a refactoring would change
it, and the gateway's real ``GET /me`` route, which still calls the old RPC, fails.
"""
from typing import Any, Protocol

import pytest

from loket_contracts.appointments.protocol import AppointmentsRpc
from loket_contracts.fakes import FakeServices, fake
from loket_gateway.identity import access

from . import answers
from .conftest import FakePool
from .test_my_data_api import ANNA

ME = "/api/v1/tenants/musterstadt/me"


class RenamedProfileRpc(Protocol):
    """The profile contract had ``get_profile`` been renamed to ``read_profile``."""

    def read_profile(self, tenant: str, subject: str) -> dict[str, Any]: ...


class RetypedProfileRpc(Protocol):
    """The profile contract had ``get_profile`` taken the subject only."""

    def get_profile(self, subject: str) -> dict[str, Any]: ...


@pytest.fixture
def anna(monkeypatch):
    monkeypatch.setattr(access, "api_resident", lambda tenant, minimum="low": ANNA)


def test_the_route_works_against_the_contract_as_it_is(app, client, services, anna):
    services.profile.get_profile.return_value = answers.profile(ANNA.subject)
    response = client.get(ME)
    assert response.status_code == 200
    services.profile.get_profile.assert_called_once_with("musterstadt", ANNA.subject)


@pytest.mark.parametrize(("protocol", "error"), [(RenamedProfileRpc, AttributeError),
                                                 (RetypedProfileRpc, TypeError)])
def test_a_route_calling_an_rpc_the_contract_no_longer_has_fails(app, client, anna,
                                                                 caplog, protocol, error):
    fakes = FakeServices(profile=protocol)
    app.extensions["loket_rpc"] = FakePool(fakes)
    response = client.get(ME)
    assert response.status_code == 500
    assert response.get_json()["code"] == "internal_error"
    assert fakes.mock_calls == []  # the call never reached a fake method
    assert error.__name__ in caplog.text  # logged as the unexpected error it is


def test_an_rpc_the_protocol_lacks_cannot_be_called_or_given_an_answer():
    appointments = fake(AppointmentsRpc)
    with pytest.raises(AttributeError):
        appointments.no_such_rpc("musterstadt")
    with pytest.raises(AttributeError):
        appointments.no_such_rpc.return_value = []
    with pytest.raises(TypeError):
        appointments.list_offices("musterstadt", "one-argument-too-many")
