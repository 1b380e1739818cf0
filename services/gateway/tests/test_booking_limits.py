"""Bots at the booking desk: confirmed bookings are limited per address and per network, the
proof of work rises with a client's activity, and bound services get the resident.

The appointments service is the conftest's fake; the limits are the defaults
(``RATE_LIMIT_BOOKING_ADDRESS`` 3/hour, ``RATE_LIMIT_BOOKING_NETWORK`` 10/hour).
"""
import pytest

from loket_common.errors import Conflict, LoketError
from loket_gateway.app import create_app
from loket_gateway.identity import signed_in
from loket_gateway.identity.access import Resident

from . import answers
from .conftest import FakePool, remote
from .conftest import test_settings as gateway_settings

API = "/api/v1/tenants/musterstadt"
HOLD = {"service_id": "passport", "office_id": "rathaus", "start": "2026-12-01T09:00:00+01:00"}
ANNA = Resident(tenant="musterstadt", subject="r-" + "a" * 32, trust_level="substantial",
                name="Anna Schmidt", email=None)


@pytest.fixture
def rpc(services):
    services.appointments.confirm_hold.return_value = answers.confirmed()
    return services.appointments


def confirm(client, address: str, number: int = 0):
    return client.post(API + "/holds/h1/confirmation", environ_base={"REMOTE_ADDR": address},
                       json={"name": "Bot", "email": f"bot{number}@example.org",
                             "language": "en"})


def test_an_address_gets_three_confirmed_bookings_an_hour(client, rpc):
    for number in range(3):
        assert confirm(client, "198.51.100.1", number).status_code == 201
    refused = confirm(client, "198.51.100.1", 9)
    assert refused.status_code == 429 and refused.get_json()["code"] == "rate_limited"
    assert confirm(client, "203.0.113.1", 10).status_code == 201  # another network


def test_only_confirmations_count(client, rpc):
    rpc.confirm_hold.side_effect = remote(Conflict("The hold ran out."))
    for number in range(5):
        assert confirm(client, "198.51.100.1", number).status_code == 409
    rpc.confirm_hold.side_effect = None
    assert confirm(client, "198.51.100.1", 6).status_code == 201


@pytest.mark.parametrize("neighbours", [
    [f"198.51.100.{n}" for n in range(1, 6)],
    [f"2001:db8:1:2::{n}" for n in range(1, 6)],
])
def test_a_network_gets_ten_confirmed_bookings_an_hour(client, rpc, neighbours):
    booked = 0
    for address in neighbours[:4]:
        for _ in range(3 if booked < 9 else 1):
            assert confirm(client, address, booked).status_code == 201
            booked += 1
        if booked == 10:
            break
    assert confirm(client, neighbours[4], 99).status_code == 429


def test_exempt_networks_are_not_limited():
    app = create_app(gateway_settings(exempt_networks="10.0.0.0/8, 198.51.100.0/24"))
    pool = FakePool()
    app.extensions["loket_rpc"] = pool
    pool.fakes.appointments.confirm_hold.return_value = answers.confirmed()
    client = app.test_client()
    for number in range(12):
        assert confirm(client, "198.51.100.7", number).status_code == 201
    assert [challenge(client, "198.51.100.7") for _ in range(12)] == [50_000] * 12


def challenge(client, address: str) -> int:
    issued = client.post(API + "/challenges", environ_base={"REMOTE_ADDR": address})
    assert issued.status_code == 201
    return issued.get_json()["challenge"]["maxnumber"]


def test_challenges_get_harder_after_ten_actions_of_an_address(client):
    seen = [challenge(client, "192.0.2.10") for _ in range(17)]
    assert seen[:10] == [50_000] * 10
    assert seen[10:] == [100_000, 200_000, 400_000, 800_000, 1_600_000, 1_600_000, 1_600_000]
    assert challenge(client, "192.0.2.11") == 50_000  # the network is not busy yet
    assert challenge(client, "192.0.3.1") == 50_000


def test_an_anonymous_hold_names_no_holder_and_a_signed_in_one_the_resident(
        client, services, monkeypatch):
    services.appointments.hold_slot.return_value = {"hold_id": "h1", **answers.booking()}
    monkeypatch.setattr("loket_gateway.appointments.api.proven_challenge_id",
                        lambda *args: "challenge-id")
    assert client.post(API + "/holds", json=HOLD).status_code == 201
    assert services.appointments.hold_slot.call_args.args[4] is None
    monkeypatch.setattr(signed_in, "api_resident", lambda tenant, minimum="low": ANNA)
    assert client.post(API + "/holds", json=HOLD,
                       headers={"Authorization": "Bearer anna"}).status_code == 201
    assert services.appointments.hold_slot.call_args.args[4] == {
        "subject": ANNA.subject, "trust_level": "substantial"}


class IdentityRequired(LoketError):
    """As the appointments service declares it."""

    status, code, title = 401, "identity_required", "Sign-in required"


def test_a_bound_booking_moved_without_sign_in_is_a_401_with_the_level(client, services):
    services.appointments.cancel_booking.side_effect = remote(IdentityRequired(
        "Sign in.", required_level="substantial"))
    refused = client.delete(API + "/bookings/ABCD-EFGH", headers={"X-Manage-Token": "t"})
    assert refused.status_code == 401
    assert refused.get_json()["code"] == "identity_required"
    assert refused.get_json()["required_level"] == "substantial"
    services.appointments.cancel_booking.assert_called_once_with(
        "musterstadt", "ABCD-EFGH", "t", None)
