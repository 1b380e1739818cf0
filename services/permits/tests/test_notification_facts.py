"""What permits tells the notifications service: the answer date, assignments, the notice."""
from datetime import UTC, date, datetime, timedelta

import pytest
from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ClusterRpcProxy

from loket_common.errors import ValidationFailed
from loket_common.testing import wait_for
from loket_permits.resident_data import ResidentData
from loket_permits.service import PermitsService

from .helpers import PARKING, PDF, START, TENANT, WORKER, applicant, b64, submitted_case

pytestmark = pytest.mark.integration

ASK = {"message": "Please upload a readable scan.", "fields": ["licence_plate",
                                                               "documents.vehicle_registration"]}


def outbox(database, event_type):
    return [entry["message"]["data"] for entry in database["outbox"].find(
        {"message.type": event_type}, sort=[("created_at", 1)])]


def in_review(desk, n=1):
    case = submitted_case(desk, n)
    return desk.transition(case["id"], "in_review", None, WORKER, None)


def test_an_information_request_is_answered_by_14_days_unless_the_worker_says(desk, clock):
    case = in_review(desk)
    asked = desk.transition(case["id"], "information_requested", None, WORKER, ASK)
    assert asked["information_request"]["answer_by"] == (START.date()
                                                         + timedelta(days=14)).isoformat()
    second = in_review(desk, 2)
    chosen = date(2026, 11, 30)
    asked = desk.transition(second["id"], "information_requested", None, WORKER,
                            {**ASK, "answer_by": chosen})
    assert asked["information_request"]["answer_by"] == "2026-11-30"
    today = desk.transition(in_review(desk, 3)["id"], "information_requested", None,
                            WORKER, {**ASK, "answer_by": START.date()})
    assert today["information_request"]["answer_by"] == START.date().isoformat()


def test_an_answer_date_in_the_past_is_refused(desk):
    case = in_review(desk)
    with pytest.raises(ValidationFailed) as caught:
        desk.transition(case["id"], "information_requested", None, WORKER,
                        {**ASK, "answer_by": START.date() - timedelta(days=1)})
    assert caught.value.extra["invalid_params"][0]["name"] == "information_request.answer_by"
    assert desk.case(case["id"])["state"] == "in_review"


def test_assigning_to_someone_emits_permit_case_assigned(desk, database):
    case = submitted_case(desk)
    desk.assign(case["id"], "staff:weber", {**WORKER, "role": "tenant_admin"})
    desk.assign(case["id"], "staff:weber", WORKER)  # the same one again: nobody new to tell
    desk.assign(case["id"], None, WORKER)  # unassigned: nobody to tell
    desk.assign(case["id"], "staff:kaya", WORKER)
    assigned = outbox(database, "permit_case_assigned")
    assert [event["assignee"] for event in assigned] == ["staff:weber", "staff:kaya"]
    assert assigned[0] == {
        "application_id": case["id"], "reference": case["reference"],
        "type_id": "residents-parking",
        "type_name": {"de": "Bewohnerparkausweis", "en": "Residents' parking permit"},
        "assignee": "staff:weber", "by_role": "tenant_admin", "subject": "subject-1",
        "channel": "online"}
    assert desk.case(case["id"])["assigned_to"] == "staff:kaya"


def test_erasure_scrubs_the_assignment_events_of_the_applicant(desk, database):
    case = submitted_case(desk)
    desk.assign(case["id"], "staff:weber", WORKER)
    erase = ResidentData(desk).erase
    with database.client.start_session() as session, session.start_transaction():
        erase("subject-1", session)
    assert outbox(database, "permit_case_assigned") == []


def remote(call, *args):
    with pytest.raises(RemoteError) as error:
        call(*args)
    return error.value


def test_application_for_notification(container_factory, service_config, database):
    container_factory(PermitsService, service_config).start()
    with ClusterRpcProxy(service_config) as rpc:
        permits = rpc.permits
        draft = permits.create_application(TENANT, applicant(), "residents-parking", PARKING)
        assert remote(permits.application_for_notification, TENANT,
                      draft["id"]).exc_type == "NotFound"  # drafts are the applicant's own
        permits.add_attachment(TENANT, applicant(), draft["id"], "vehicle_registration",
                               "a.pdf", b64(PDF))
        case_id = permits.submit_application(TENANT, applicant(), draft["id"])["id"]
        submitted = permits.application_for_notification(TENANT, case_id)
        assert submitted["state"] == "submitted" and submitted["fee_cents"] == 3315
        assert submitted["applicant"] == {"subject": "subject-1", "language": "en"}
        assert submitted["type_name"]["de"] == "Bewohnerparkausweis"
        assert submitted["information_request"] is None and submitted["decision"] is None
        assert submitted["next_step"]["en"].startswith("We have received")
        assert datetime.fromisoformat(submitted["due_at"]) > datetime.fromisoformat(
            submitted["submitted_at"])
        assert "data" not in submitted and "name" not in submitted["applicant"]

        permits.transition_case(TENANT, case_id, "in_review", None, WORKER)
        too_early = remote(permits.transition_case, TENANT, case_id, "information_requested",
                           None, WORKER, {**ASK, "answer_by": "2020-01-01"})
        assert too_early.exc_type == "ValidationFailed" and "answer_by" in too_early.value
        not_a_day = remote(permits.transition_case, TENANT, case_id, "information_requested",
                           None, WORKER, {**ASK, "answer_by": "next week"})
        assert not_a_day.exc_type == "ValidationFailed" and "answer_by" in not_a_day.value
        answer_by = (datetime.now(UTC).date() + timedelta(days=7)).isoformat()
        shown = permits.transition_case(TENANT, case_id, "information_requested", None,
                                        WORKER, {**ASK, "answer_by": answer_by})
        assert shown["information_request"]["answer_by"] == answer_by  # the applicant sees it
        asked = permits.application_for_notification(TENANT, case_id)
        assert asked["information_request"] == {
            "message": "Please upload a readable scan.", "answer_by": answer_by,
            "fields": [{"name": "licence_plate",
                        "label": {"de": "Kennzeichen", "en": "Licence plate"}},
                       {"name": "documents.vehicle_registration",
                        "label": {"de": "Zulassungsbescheinigung Teil I",
                                  "en": "Vehicle registration certificate part I"}}]}
        assert permits.get_application(TENANT, "subject-1", case_id)[
            "information_request"]["answer_by"] == answer_by

        permits.answer_information_request(TENANT, applicant(), case_id, {}, None)
        permits.assign_case(TENANT, case_id, "staff:weber", WORKER)
        permits.transition_case(TENANT, case_id, "in_review", None, WORKER)
        permits.transition_case(TENANT, case_id, "rejected", "Not in the zone.", WORKER)
        decided = permits.application_for_notification(TENANT, case_id)
        assert decided["decision"]["outcome"] == "rejected"
        assert decided["decision"]["reason"] == "Not in the zone."
        assert decided["decision"]["decided_at"]
        assert decided["assigned_to"] == "staff:weber"
        assert decided["next_step"]["en"].startswith("Your application was rejected")
        # another tenant's id is unknown here, and nothing was logged as a staff access
        assert remote(permits.application_for_notification, "beispielstadt",
                      case_id).exc_type == "NotFound"
        assert remote(permits.application_for_notification, TENANT,
                      "x" * 65).exc_type == "ValidationFailed"
    wait_for(lambda: database["outbox"].count_documents({"published_at": None}) == 0)
    assert outbox(database, "personal_data_accessed") == []
    assert [event["assignee"] for event in outbox(database, "permit_case_assigned")] == [
        "staff:weber"]
