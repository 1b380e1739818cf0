"""A signed-in resident's booking and lottery entry carry their subject; anonymous ones none.

The resident comes from :func:`loket_gateway.identity.access.api_resident` (replaced by a fixed
one); the RPCs go to a fake of the appointments service's interface (not of the broker).
"""
from contextlib import contextmanager

import pytest

from loket_gateway.identity import signed_in
from loket_gateway.identity.access import Resident

API = "/api/v1/tenants/musterstadt"
CONTACT = {"name": "Anna Schmidt", "email": "anna.schmidt@example.org", "language": "de"}
ANNA = Resident(tenant="musterstadt", subject="r-" + "a" * 32, trust_level="substantial",
                name="Anna Schmidt", email="anna.schmidt@example.org")


class FakeAppointments:
    def __init__(self):
        self.calls = []

    def confirm_hold(self, tenant, hold_id, contact):
        self.calls.append(("confirm_hold", contact))
        return {"booking": {"reference": "ABCD-EFGH"}, "manage_token": "secret"}

    def enter_lottery(self, tenant, request):
        self.calls.append(("enter_lottery", request))
        return {"entry": {"reference": "LOTT-ERY1"}, "status_token": "secret"}


class FakeRpc:
    def __init__(self):
        self.appointments = FakeAppointments()

    @contextmanager
    def services(self):
        yield self


@pytest.fixture
def rpc(app):
    fake = FakeRpc()
    app.extensions["loket_rpc"] = fake
    return fake.appointments


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
    assert rpc.calls == [("confirm_hold", CONTACT)]


def test_a_booking_with_a_token_is_the_residents(client, rpc, anna):
    response = client.post(API + "/holds/h1/confirmation", json=CONTACT,
                           headers={"Authorization": "Bearer anna-token"})
    assert response.status_code == 201
    assert rpc.calls == [("confirm_hold", {**CONTACT, "subject": ANNA.subject})]


def test_a_subject_in_the_body_is_refused(client, rpc):
    response = client.post(API + "/holds/h1/confirmation",
                           json={**CONTACT, "subject": ANNA.subject})
    assert response.status_code == 400
    assert [p["name"] for p in response.get_json()["invalid_params"]] == ["subject"]
    assert rpc.calls == []


def test_an_invalid_token_is_a_401_not_an_anonymous_booking(client, rpc):
    response = client.post(API + "/holds/h1/confirmation", json=CONTACT,
                           headers={"Authorization": "Bearer forged"})
    assert response.status_code == 401
    assert rpc.calls == []


def test_a_lottery_entry_with_a_token_is_the_residents(client, rpc, anna):
    response = client.post(API + "/lottery-entries", headers={"Authorization": "Bearer t"},
                           json={**CONTACT, "service_id": "passport"})
    assert response.status_code == 201
    assert rpc.calls[0][1]["subject"] == ANNA.subject
