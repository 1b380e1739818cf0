"""ResidentDataMixin: checks before the store, and the relay woken only when erased now."""
import pytest
from nameko.testing.services import worker_factory

from loket_common.errors import UnknownTenant, ValidationFailed
from loket_common.events import Event
from loket_common.outbox import OutboxRelay
from loket_common.resident_data_rpc import ResidentDataMixin

SUBJECT = "r-" + "0" * 32


class Holder(ResidentDataMixin):
    name = "holder"
    store = OutboxRelay()  # any DependencyProvider: worker_factory replaces it with a mock
    relay = OutboxRelay()


def erasure(subject: object) -> dict:
    return Event(source="profile", type="erasure_requested", tenant="musterstadt",
                 data={"subject": subject, "request_id": "e-1"}).to_message()


def test_export_checks_tenant_and_subject_then_asks_the_store():
    worker = worker_factory(Holder)
    worker.store.export_subject.return_value = {"service": "holder"}
    assert worker.export_subject("musterstadt", SUBJECT) == {"service": "holder"}
    worker.store.export_subject.assert_called_once_with("musterstadt", SUBJECT)
    with pytest.raises(UnknownTenant):
        worker.export_subject("Bad Tenant", SUBJECT)
    with pytest.raises(ValidationFailed):
        worker.export_subject("musterstadt", "anna@example.org")
    assert worker.store.export_subject.call_count == 1


@pytest.mark.parametrize("erased_now", [True, False])
def test_erasure_wakes_the_relay_only_when_it_erased(erased_now):
    worker = worker_factory(Holder)
    worker.store.erase_subject.return_value = erased_now
    worker.erase_subject(erasure(SUBJECT))
    (event,), _ = worker.store.erase_subject.call_args
    assert (event.type, event.data["subject"]) == ("erasure_requested", SUBJECT)
    assert worker.relay.nudge.called is erased_now


def test_erasure_of_a_malformed_subject_never_reaches_the_store():
    worker = worker_factory(Holder)
    with pytest.raises(ValidationFailed):
        worker.erase_subject(erasure("not-a-subject"))
    worker.store.erase_subject.assert_not_called()
