"""Fakes built from the Protocols refuse what the real service would not answer."""
import pytest

from loket_contracts.appointments.protocol import AppointmentsRpc
from loket_contracts.fakes import PROTOCOLS, FakeServices, fake
from loket_contracts.permits.protocol import PermitsRpc


def test_a_fake_answers_what_the_test_sets_and_records_the_call():
    appointments = fake(AppointmentsRpc)
    appointments.list_offices.return_value = [{"id": "rathaus"}]
    assert appointments.list_offices("musterstadt") == [{"id": "rathaus"}]
    appointments.list_offices.assert_called_once_with("musterstadt")


def test_a_method_the_protocol_lacks_raises():
    appointments = fake(AppointmentsRpc)
    with pytest.raises(AttributeError):
        appointments.list_office("musterstadt")
    with pytest.raises(AttributeError):
        appointments.list_office = lambda tenant: []


@pytest.mark.parametrize(("call", "args", "kwargs"), [
    ("list_offices", (), {}),  # too few
    ("list_offices", ("musterstadt", "extra"), {}),  # too many
    ("day_list", ("musterstadt", "rathaus", "2026-05-04"), {"counter": "a"}),  # wrong name
    ("health", ("musterstadt",), {}),
])
def test_wrong_arguments_raise(call, args, kwargs):
    appointments = fake(AppointmentsRpc)
    with pytest.raises(TypeError):
        getattr(appointments, call)(*args, **kwargs)


def test_keyword_and_default_arguments_are_accepted():
    permits = fake(PermitsRpc)
    permits.get_case("musterstadt", "a-1", actor={"subject": "s", "role": "case_worker"})
    permits.get_case("musterstadt", "a-1")
    assert permits.get_case.call_count == 2


def test_fake_services_has_one_fake_per_service():
    services = FakeServices()
    assert set(PROTOCOLS) == {"appointments", "permits", "profile"}
    services.profile.get_profile.return_value = {"subject": "r-1"}
    assert services.profile.get_profile("musterstadt", "r-1") == {"subject": "r-1"}
    with pytest.raises(TypeError):
        services.profile.get_profile("musterstadt")
    with pytest.raises(AttributeError):
        services.payments.health()
