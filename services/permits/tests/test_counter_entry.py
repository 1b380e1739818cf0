"""Applications entered at the counter: checked as a resident's, submitted, channel counter."""
from datetime import timedelta

import pytest
from kombu import Connection, Queue
from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ClusterRpcProxy

from loket_common.errors import NotFound, ValidationFailed
from loket_common.testing import wait_for
from loket_common.topology import event_exchange
from loket_permits.encrypted_fields import ENCRYPTED_FIELDS
from loket_permits.exceptions import DraftIncomplete
from loket_permits.resident_data import ResidentData
from loket_permits.service import PermitsService

from .helpers import PARKING, TENANT, WORKER, applicant

pytestmark = pytest.mark.integration

CLERK = {"subject": "staff:schulz", "role": "counter_staff", "name": "Schulz"}
PERSON = {"name": "Erika Mustermann", "language": "de", "email": "erika@example.org",
          "phone": "+49 30 1234567",
          "address": {"street": "Hauptstraße 1", "postal_code": "12345", "city": "Musterstadt"}}


def entry(type_id="residents-parking", data=None, seen=True, **changes):
    return {"type_id": type_id, "data": PARKING if data is None else data,
            "applicant": PERSON, "on_behalf_of": None, "documents_seen": seen, **changes}


def _queue_total(desk):
    return desk.queue({"limit": 10, "type_id": None, "state": None, "assigned_to": None,
                       "overdue": None, "after": None})["total"]


def outbox(database, event_type):
    return [entry["message"]["data"] for entry in database["outbox"].find(
        {"message.type": event_type}, sort=[("created_at", 1)])]


def test_missing_answers_are_refused_with_the_residents_invalid_params(desk):
    partial = {key: value for key, value in PARKING.items() if key not in ("zone",
                                                                           "licence_plate")}
    draft = desk.create(applicant(), "residents-parking", partial, None)
    with pytest.raises(DraftIncomplete) as resident:
        desk.submit("subject-1", draft["id"])
    with pytest.raises(DraftIncomplete) as counter:
        desk.enter_at_counter(entry(data=partial, seen=False), CLERK)
    assert counter.value.extra["invalid_params"] == resident.value.extra["invalid_params"]
    assert {item["name"] for item in counter.value.extra["invalid_params"]} == {
        "licence_plate", "zone", "documents.vehicle_registration"}
    assert _queue_total(desk) == 0


def test_bad_answers_are_refused_by_the_residents_field_rules(desk):
    bad = {**PARKING, "licence_plate": "not a plate", "duration_months": 40}
    draft = desk.create(applicant(), "residents-parking", {}, None)
    with pytest.raises(ValidationFailed) as resident:
        desk.update_draft("subject-1", draft["id"], bad)
    with pytest.raises(DraftIncomplete) as counter:
        desk.enter_at_counter(entry(data=bad), CLERK)
    assert counter.value.extra["invalid_params"] == resident.value.extra["invalid_params"]
    assert counter.value.status == 400


def test_required_documents_count_as_seen_only_when_staff_say_so(desk):
    with pytest.raises(DraftIncomplete) as missing:
        desk.enter_at_counter(entry(seen=False), CLERK)
    assert missing.value.extra["invalid_params"] == [
        {"name": "documents.vehicle_registration", "reason": "This document is required."}]
    case = desk.enter_at_counter(entry(), CLERK)
    assert case["documents_seen"] is True
    assert "vehicle_registration" in case["history"][0]["reason"]


def test_an_entry_is_submitted_with_its_history_channel_and_contact(desk, database, clock):
    case = desk.enter_at_counter(entry(), CLERK)
    assert (case["state"], case["channel"], case["fee_cents"]) == ("submitted", "counter", 3315)
    assert case["submitted_at"] == clock.now and case["due_at"] > case["submitted_at"]
    [step] = case["history"]
    assert step["by"] == {"subject": "staff:schulz", "role": "counter_staff"}
    assert (step["from"], step["to"], step["action"]) == (None, "submitted",
                                                          "entered_at_counter")
    assert step["reason"].startswith("Entered at the counter by counter_staff.")
    assert case["applicant"]["name"] == "Erika Mustermann"
    assert case["applicant"]["subject"].startswith("counter:")
    assert case["applicant_contact"]["address"]["city"] == "Musterstadt"
    stored = database["applications"].find_one({"id": case["id"]})
    assert "Erika" not in str(stored) and "erika@" not in str(stored)  # sealed
    assert isinstance(stored["applicant_contact"], str)
    assert "applicant_contact" in ENCRYPTED_FIELDS["applications"]  # key rotation finds it
    assert desk.mine(case["applicant"]["subject"])[0]["id"] == case["id"]
    assert _queue_total(desk) == 1


def test_each_counter_entry_has_its_own_subject(desk):
    first = desk.enter_at_counter(entry(), CLERK)
    second = desk.enter_at_counter(entry(), CLERK)
    assert first["applicant"]["subject"] != second["applicant"]["subject"]


def test_an_entry_emits_started_and_submitted_with_channel_counter(desk, database, clock):
    case = desk.enter_at_counter(entry(), CLERK)
    [started] = outbox(database, "permit_started")
    [submitted] = outbox(database, "permit_submitted")
    assert started["channel"] == submitted["channel"] == "counter"
    assert started["started_at"] == clock.now.isoformat()
    assert started["application_id"] == submitted["application_id"] == case["id"]
    assert started["type_id"] == "residents-parking"
    assert "Erika" not in str(started) + str(submitted)


def test_a_residents_draft_emits_permit_started_online(desk, database, clock):
    draft = desk.create(applicant(), "residents-parking", {"zone": "A"}, None)
    [started] = outbox(database, "permit_started")
    assert (started["application_id"], started["channel"]) == (draft["id"], "online")
    assert started["started_at"] == clock.now.isoformat()
    assert draft["channel"] == "online"


def test_cases_without_a_channel_read_and_count_as_online(desk, database):
    draft = desk.create(applicant(), "residents-parking", {"zone": "A"}, None)
    database["applications"].update_one({"id": draft["id"]}, {"$unset": {"channel": ""}})
    desk.withdraw("subject-1", draft["id"], None)
    [changed] = outbox(database, "permit_status_changed")
    assert changed["channel"] == "online"


def test_a_decision_carries_submitted_at_and_the_channel(desk, database, clock):
    case = desk.enter_at_counter(entry(), CLERK)
    desk.transition(case["id"], "in_review", None, WORKER, None)
    clock.now += timedelta(days=3)
    desk.transition(case["id"], "approved", "All in order.", WORKER, None)
    [decided] = outbox(database, "permit_decided")
    assert decided["submitted_at"] == case["submitted_at"].isoformat()
    assert decided["channel"] == "counter"
    assert [event["channel"] for event in outbox(database, "permit_status_changed")] == [
        "counter", "counter"]


def test_an_unknown_type_is_not_found(desk):
    with pytest.raises(NotFound):
        desk.enter_at_counter(entry("no-such-type"), CLERK)


def test_erasing_the_counter_subject_anonymises_the_case(desk, database):
    case = desk.enter_at_counter(entry(), CLERK)
    with database.client.start_session() as session, session.start_transaction():
        ResidentData(desk).erase(case["applicant"]["subject"], session)
    erased = desk.case(case["id"])
    assert erased["state"] == "withdrawn" and erased["applicant_contact"] is None
    assert erased["applicant"]["name"] is None


def remote(call, *args):
    with pytest.raises(RemoteError) as error:
        call(*args)
    return error.value


def test_the_rpc_enters_at_the_counter_and_publishes_with_channel_counter(
        container_factory, service_config):
    container_factory(PermitsService, service_config).start()
    with Connection(service_config["AMQP_URI"]) as connection:
        events = Queue("test-counter-events", exchange=event_exchange("permits"),
                       routing_key="#")
        events(connection.default_channel).declare()
        with ClusterRpcProxy(service_config) as rpc:
            permits = rpc.permits
            refused = remote(permits.enter_counter_application, TENANT,
                             entry(data={}, seen=False), CLERK)
            assert refused.exc_type == "DraftIncomplete"
            assert "documents.vehicle_registration" in refused.value
            resident = remote(permits.enter_counter_application, TENANT, entry(),
                              {**CLERK, "role": "applicant"})
            assert resident.exc_type == "ValidationFailed" and "role" in resident.value
            nameless = remote(permits.enter_counter_application, TENANT,
                              entry(applicant={"email": "x@example.org"}), CLERK)
            assert nameless.exc_type == "ValidationFailed" and "applicant.name" in nameless.value
            receipt = permits.enter_counter_application(TENANT, entry(), CLERK)
            assert (receipt["state"], receipt["channel"]) == ("submitted", "counter")
            assert receipt["reference"].startswith("PA-") and receipt["documents_seen"]
            assert "applicant" not in receipt and "data" not in receipt
            case = permits.get_case(TENANT, receipt["id"])
            assert case["channel"] == "counter"
            assert case["history"][0]["action"] == "entered_at_counter"

        def published():
            queue = events(connection.default_channel)
            found = []
            while (message := queue.get(no_ack=True)) is not None:
                found.append(message.payload)
            return found

        messages: list = []
        wait_for(lambda: messages.extend(published()) or len(messages) >= 2)
    assert sorted(message["type"] for message in messages) == ["permit_started",
                                                               "permit_submitted"]
    assert {message["data"]["channel"] for message in messages} == {"counter"}
