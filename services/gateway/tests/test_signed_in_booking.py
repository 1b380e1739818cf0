"""A signed-in resident's booking and lottery entry carry their subject; anonymous ones none.

The resident comes from :func:`loket_gateway.identity.access.api_resident` (replaced by a fixed
one); the RPCs go to the conftest's fake of the appointments service's Protocol.
"""
import pytest

from loket_gateway.identity import signed_in
from loket_gateway.identity.access import Resident

from . import answers

API = "/api/v1/tenants/musterstadt"
CONTACT = {"name": "Anna Schmidt", "email": "anna.schmidt@example.org", "language": "de"}
ANNA = Resident(tenant="musterstadt", subject="r-" + "a" * 32, trust_level="substantial",
                name="Anna Schmidt", email="anna.schmidt@example.org")


@pytest.fixture
def rpc(services):
    """The appointments service's fake, answering as the real one does."""
    services.appointments.confirm_hold.return_value = answers.confirmed()
    services.appointments.enter_lottery.return_value = answers.entered()
    return services.appointments


@pytest.fixture
def anna(monkeypatch):
    def resident(tenant, minimum="low"):
        if tenant != "musterstadt":
            raise AssertionError(tenant)
        return ANNA
    monkeypatch.setattr(signed_in, "api_resident", resident)


def test_an_anonymous_booking_carries_no_subject(client, rpc):
    response = client.post(API + "/holds/h1/confirmation", json=CONTACT)
    assert response.status_code == 201, response.get_data(as_text=True)
    rpc.confirm_hold.assert_called_once_with("musterstadt", "h1", CONTACT)


def test_a_booking_with_a_token_is_the_residents(client, rpc, anna):
    response = client.post(API + "/holds/h1/confirmation", json=CONTACT,
                           headers={"Authorization": "Bearer anna-token"})
    assert response.status_code == 201
    rpc.confirm_hold.assert_called_once_with("musterstadt", "h1", {
        **CONTACT, "subject": ANNA.subject, "trust_level": "substantial",
        "identity_name": "Anna Schmidt"})


def test_a_subject_in_the_body_is_refused(client, services, rpc):
    response = client.post(API + "/holds/h1/confirmation",
                           json={**CONTACT, "subject": ANNA.subject})
    assert response.status_code == 400
    assert [p["name"] for p in response.get_json()["invalid_params"]] == ["subject"]
    assert services.mock_calls == []


def test_an_invalid_token_is_a_401_not_an_anonymous_booking(client, services, rpc):
    response = client.post(API + "/holds/h1/confirmation", json=CONTACT,
                           headers={"Authorization": "Bearer forged"})
    assert response.status_code == 401
    assert services.mock_calls == []


def test_a_lottery_entry_with_a_token_is_the_residents(client, rpc, anna):
    response = client.post(API + "/lottery-entries", headers={"Authorization": "Bearer t"},
                           json={**CONTACT, "service_id": "passport"})
    assert response.status_code == 201
    rpc.enter_lottery.assert_called_once()
    tenant, request = rpc.enter_lottery.call_args.args
    assert tenant == "musterstadt" and request["subject"] == ANNA.subject
    assert response.get_json()["entry"]["reference"] == "LOTT-ERY1"
