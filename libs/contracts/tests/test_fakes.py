"""Fakes built from the Protocols refuse what the real service would not answer."""
import pytest

from loket_contracts.appointments.protocol import AppointmentsRpc
from loket_contracts.fakes import PROTOCOLS, FakeServices, fake, shaped
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
    assert set(PROTOCOLS) == {"appointments", "permits", "profile", "notifications",
                              "statistics"}
    services.profile.get_profile.return_value = {"subject": "r-1"}
    assert services.profile.get_profile("musterstadt", "r-1") == {"subject": "r-1"}
    with pytest.raises(TypeError):
        services.profile.get_profile("musterstadt")
    with pytest.raises(AttributeError):
        services.payments.health()


def test_fake_services_record_every_call_in_order():
    from unittest.mock import call

    services = FakeServices()
    assert services.mock_calls == []
    services.profile.access_log("musterstadt", "r-1")
    services.appointments.list_own_bookings("musterstadt", "r-1")
    assert services.mock_calls == [call.profile.access_log("musterstadt", "r-1"),
                                   call.appointments.list_own_bookings("musterstadt", "r-1")]
    services.profile.access_log.assert_called_once_with("musterstadt", "r-1")


def test_shaped_passes_the_services_answer_shape_and_refuses_others():
    from loket_contracts.appointments.lottery import EnteredSchema
    from loket_contracts.permits.applications import ApplicationSummarySchema
    from loket_contracts.profile.rights import ConsentSchema

    consent = {"purpose": "newsletter", "given": True, "given_at": "2026-11-23T10:00:00"}
    assert shaped(ConsentSchema, consent) is consent
    # a field computed when the service dumps (``Method``) is part of the answer
    entered = {"entry": {"reference": "LOTT-ERY1", "state": "pending", "booking": None},
               "status_token": "t"}
    assert shaped(EnteredSchema, entered) is entered
    summaries = [{"id": "a1", "state": "draft", "decision": None}]
    assert shaped(ApplicationSummarySchema(many=True), summaries) is summaries
    for wrong in ({"purpose": "newsletter"},  # a required field missing
                  {**consent, "subject": "r-1"},  # a field the schema lacks
                  {**consent, "given": "perhaps"}):  # a value of the wrong type
        with pytest.raises(ValueError, match="ConsentSchema"):
            shaped(ConsentSchema, wrong)
    with pytest.raises(ValueError, match="EnteredSchema"):
        shaped(EnteredSchema, {**entered, "entry": {"reference": "X", "secret": 1}})


def test_fake_services_can_fake_a_service_from_a_changed_protocol():
    from typing import Protocol

    class RenamedProfileRpc(Protocol):
        def read_profile(self, tenant: str, subject: str) -> dict: ...

    services = FakeServices(profile=RenamedProfileRpc)
    services.profile.read_profile("musterstadt", "r-1")
    with pytest.raises(AttributeError):
        services.profile.get_profile("musterstadt", "r-1")
    services.permits.get_case("musterstadt", "a-1")  # the others keep their contract
    with pytest.raises(TypeError, match="payments"):
        FakeServices(payments=RenamedProfileRpc)
