# SPDX-License-Identifier: EUPL-1.2
"""The chain with the real permits and profile services and the real templates: the
applicant hears of the submission and of the case worker's request for information."""
import base64
from datetime import UTC, datetime

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from loket_common.testing import Clock, wait_for
from loket_permits.cases import CaseDesk, ensure_case_indexes
from loket_permits.service import PermitsService
from loket_permits.type_catalogue import TypeCatalogue
from loket_profile.service import ProfileService

from .helpers import TENANT, new_subject

pytestmark = pytest.mark.integration

PARKING = {"licence_plate": "M-AB 1234", "vehicle_holder": "Erika Mustermann",
           "address": {"street": "Hauptstraße 1", "postal_code": "12345",
                       "city": "Musterstadt"}, "zone": "A", "duration_months": 13}
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
WORKER = {"subject": "token:00000000000000a1", "role": "case_worker"}
ASK = {"message": "Please upload a readable scan.", "fields": ["licence_plate"]}


def test_submission_and_information_request_reach_the_applicant(
        container_factory, start_notifications, service_config, database, own_database,
        channel):
    for service in (PermitsService, ProfileService):
        container_factory(service, service_config).start()
    start_notifications(real_renderer=True, MONGO_DATABASE=own_database.name)
    subject = new_subject()
    with ClusterRpcProxy(service_config, timeout=10) as rpc:
        rpc.profile.sign_in(TENANT, subject, {
            "given_name": "Erika", "family_name": "Mustermann", "email": "erika@example.org",
            "preferred_language": "en", "trust_level": "substantial"})
    ensure_case_indexes(database)
    desk = CaseDesk(database, TENANT, TypeCatalogue.load(), Clock(datetime.now(UTC)))
    case = desk.create({"subject": subject, "name": "Erika Mustermann", "language": "en"},
                       "residents-parking", PARKING, None)
    desk.add_attachment(subject, case["id"], "vehicle_registration", "a.pdf",
                        base64.b64encode(PDF).decode())
    desk.submit(subject, case["id"])

    def sent(kind):
        return wait_for(lambda: own_database["messages"].find_one(
            {"kind": kind, "state": {"$in": ["accepted", "not_sent"]}}), timeout=20)

    assert sent("permit_submitted")["state"] == "accepted"
    assert channel.sent[-1].recipient == "erika@example.org"
    assert f"/en/permits/applications/{case['id']}" in channel.sent[-1].text
    desk.transition(case["id"], "in_review", None, WORKER, None)
    desk.transition(case["id"], "information_requested", None, WORKER, ASK)
    asked = sent("permit_information_requested")
    assert asked["state"] == "accepted", asked["last_detail"]
    assert "Please upload a readable scan." in channel.sent[-1].text
    # in_review without the resident's consent to status emails: not sent
    assert sent("permit_status_changed")["last_detail"] == "no_consent"
