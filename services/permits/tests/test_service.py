import pytest
from kombu import Connection, Queue
from nameko.cli.run import import_service
from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ClusterRpcProxy
from nameko.testing.services import worker_factory

from loket_common.errors import UnknownTenant
from loket_common.testing import wait_for
from loket_common.topology import event_exchange
from loket_permits.dependencies import PermitsStore
from loket_permits.service import PermitsService

from .helpers import PARKING, PDF, PNG, TENANT, WORKER, applicant, b64


def test_permit_types_keep_fee_cents_for_the_home_page():
    service = worker_factory(PermitsService, store=PermitsStore(database=None))
    types = service.list_permit_types(TENANT)
    parking = next(item for item in types if item["id"] == "residents-parking")
    assert parking["fee_cents"] == 3060 and parking["processing_days"] == 14
    assert all(field["why"]["de"] and field["why"]["en"] for field in parking["fields"])
    assert parking["documents"][0]["id"] == "vehicle_registration"
    keys = {item["id"]: item["service_key"] for item in types}
    assert keys["business-registration"] == "99050012104000" and keys["id-card"] is None
    full = service.get_permit_type(TENANT, "id-card")
    assert full["appointment_service"] == "id-card" and full["workflow"]["states"][0] == "draft"
    assert {"from": "in_review", "to": "approved", "by": "case_worker"} in (
        full["workflow"]["transitions"])


def test_nameko_run_of_the_module_starts_only_the_service():
    # `loket-service run ... loket_permits.service` runs every class of the module that has
    # entrypoints, so the mixins are named through their modules (never imported by name).
    assert import_service("loket_permits.service") == [PermitsService]


def test_malformed_tenant_is_rejected():
    with pytest.raises(UnknownTenant):
        worker_factory(PermitsService).list_permit_types("../etc")


def remote(call, *args):
    with pytest.raises(RemoteError) as error:
        call(*args)
    return error.value


@pytest.mark.integration
def test_a_case_from_draft_to_approval(container_factory, service_config):
    container_factory(PermitsService, service_config).start()
    with Connection(service_config["AMQP_URI"]) as connection:
        events = Queue("test-permit-events", exchange=event_exchange("permits"),
                       routing_key="#")
        events(connection.default_channel).declare()
        with ClusterRpcProxy(service_config) as rpc:
            permits = rpc.permits
            assert permits.list_permit_types("other-town") == []
            assert permits.health() == {"service": "permits", "database": "ok"}
            draft = permits.create_application(TENANT, applicant(), "residents-parking",
                                               {"zone": "A"})
            assert draft["state"] == "draft" and draft["reference"].startswith("PA-")
            case_id = draft["id"]
            incomplete = remote(permits.submit_application, TENANT, applicant(), case_id)
            assert incomplete.exc_type == "DraftIncomplete"
            assert "licence_plate" in incomplete.value
            assert "documents.vehicle_registration" in incomplete.value
            permits.update_draft(TENANT, applicant(), case_id, PARKING)
            named_pdf = permits.add_attachment(TENANT, applicant(), case_id,
                                               "vehicle_registration", "scan.pdf", b64(PNG))
            assert named_pdf["content_type"] == "image/png"
            submitted = permits.submit_application(TENANT, applicant(), case_id)
            assert (submitted["state"], submitted["fee_cents"]) == ("submitted", 3315)
            assert submitted["due_at"] > submitted["submitted_at"]
            assert not submitted["overdue"]
            permits.transition_case(TENANT, case_id, "in_review", None, WORKER)
            asked = permits.transition_case(
                TENANT, case_id, "information_requested", "Plate unreadable", WORKER,
                {"message": "Please upload a readable scan.", "fields": ["licence_plate"]})
            assert asked["information_request"]["fields"] == ["licence_plate"]
            permits.add_attachment(TENANT, applicant(), case_id, "vehicle_registration",
                                   "scan2.pdf", b64(PDF))
            answered = permits.answer_information_request(
                TENANT, applicant(), case_id, {"licence_plate": "M-AB 1235"}, "New scan")
            assert answered["state"] == "submitted"
            assert answered["data"]["licence_plate"] == "M-AB 1235"
            permits.transition_case(TENANT, case_id, "in_review", None, WORKER)
            no_reason = remote(permits.transition_case, TENANT, case_id, "approved", None,
                               WORKER)
            assert no_reason.exc_type == "ValidationFailed"
            approved = permits.transition_case(TENANT, case_id, "approved",
                                               "All requirements met.", WORKER)
            again = remote(permits.transition_case, TENANT, case_id, "rejected", "No",
                           WORKER)
            assert again.exc_type == "TransitionNotAllowed"
            file = permits.get_attachment(TENANT, case_id, named_pdf["id"], None, WORKER)
            assert file["content_type"] == "image/png" and file["content_base64"] == b64(PNG)
            mine = permits.my_applications(TENANT, applicant()["subject"])

        def published():
            queue = events(connection.default_channel)
            while (message := queue.get(no_ack=True)) is not None:
                published.found.append(message.payload)
            return len(published.found) >= 10 and published.found
        published.found = []
        messages = wait_for(published, timeout=15)
    assert approved["decision"] == {"outcome": "approved", "reason": "All requirements met."}
    assert [(step["from"], step["to"], step["action"]) for step in approved["history"]] == [
        ("draft", "submitted", "submitted"), ("submitted", "in_review", "in_review"),
        ("in_review", "information_requested", "information_requested"),
        ("information_requested", "submitted", "resubmitted"),
        ("submitted", "in_review", "in_review"), ("in_review", "approved", "approved")]
    assert approved["history"][1]["by"] == WORKER
    assert [item["id"] for item in mine] == [case_id]
    types = [message["type"] for message in messages]
    assert sorted(types) == sorted(["permit_started", "permit_submitted", "permit_decided",
                                    "personal_data_accessed"]  # the worker's download
                                   + ["permit_status_changed"] * 6)
    accessed = next(m for m in messages if m["type"] == "personal_data_accessed")["data"]
    assert (accessed["subject"], accessed["purpose"], accessed["actor"]["subject"]) == (
        "subject-1", "case_attachment", WORKER["subject"])
    submitted_event = next(m for m in messages if m["type"] == "permit_submitted")["data"]
    assert submitted_event["reference"] == draft["reference"]
    assert submitted_event["type_name"]["de"] == "Bewohnerparkausweis"
    assert submitted_event["fee_cents"] == 3315 and submitted_event["due_at"]
    decided = next(m for m in messages if m["type"] == "permit_decided")
    assert decided["tenant"] == TENANT
    assert {"application_id": case_id, "outcome": "approved", "subject": "subject-1",
            "applicant_subject": "subject-1", "language": "en"}.items() <= decided["data"].items()
    assert decided["data"]["submitted_at"] == submitted_event["submitted_at"]
    assert {m["data"]["channel"] for m in messages if m["type"] != "personal_data_accessed"} == {
        "online"}
    for message in messages:  # events carry no names and no free texts
        assert not {"applicant_name", "company_name", "reason"} & message["data"].keys()
        assert "Erika" not in str(message) and "Plate unreadable" not in str(message)
    changed = [m["data"] for m in messages if m["type"] == "permit_status_changed"]
    asked_event = next(data for data in changed if data["to"] == "information_requested")
    assert asked_event["from"] == "in_review" and asked_event["action"] == "information_requested"
    assert asked_event["next_step"]["en"] and asked_event["information_request_fields"]


@pytest.mark.integration
def test_another_applicant_can_neither_see_nor_change(container_factory, service_config):
    container_factory(PermitsService, service_config).start()
    with ClusterRpcProxy(service_config) as rpc:
        permits = rpc.permits
        case = permits.create_application(TENANT, applicant(1), "residents-parking", PARKING)
        stranger = applicant(2)
        for call, args in [
            (permits.get_application, (TENANT, stranger["subject"], case["id"])),
            (permits.update_draft, (TENANT, stranger, case["id"], {"zone": "B"})),
            (permits.submit_application, (TENANT, stranger, case["id"])),
            (permits.withdraw_application, (TENANT, stranger, case["id"], "mine now")),
            (permits.add_attachment, (TENANT, stranger, case["id"], "vehicle_registration",
                                      "a.pdf", b64(PDF))),
            (permits.get_application, ("beispielstadt", "subject-1", case["id"])),
        ]:
            assert remote(call, *args).exc_type == "NotFound"
        assert permits.my_applications(TENANT, stranger["subject"]) == []
        withdrawn = permits.withdraw_application(TENANT, applicant(1), case["id"], "Sold car")
        assert withdrawn["state"] == "withdrawn"
        assert withdrawn["history"][-1]["reason"] == "Sold car"


@pytest.mark.integration
def test_a_representative_applies_for_a_company(container_factory, service_config):
    container_factory(PermitsService, service_config).start()
    with ClusterRpcProxy(service_config) as rpc:
        company = {"company_name": "Muster GmbH", "register_number": "HRB 12345",
                   "role": "Geschäftsführerin"}
        case = rpc.permits.create_application(TENANT, applicant(), "business-registration",
                                              {"legal_form": "gmbh"}, company)
        assert case["on_behalf_of"] == company
        rpc.permits.update_draft(TENANT, applicant(), case["id"], {
            "company_name": "Muster GmbH", "activity": "Software development",
            "start_date": "2026-12-01", "register_number": "HRB 12345",
            "business_address": {"street": "Marktstraße 3", "postal_code": "12345",
                                 "city": "Musterstadt"}})
        submitted = rpc.permits.submit_application(TENANT, applicant(), case["id"])
        page = rpc.permits.case_queue(TENANT, {"type_id": "business-registration"})
    assert submitted["fee_cents"] == 2600
    assert page["total"] == 1 and page["items"][0]["for_company"] is True
    # the queue names nobody (data minimisation); opening the case does, and is logged
    assert "Muster GmbH" not in str(page) and "Erika" not in str(page)
