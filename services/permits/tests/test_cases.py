from datetime import UTC, datetime, timedelta

import eventlet
import pytest

from loket_common.errors import NotFound, ValidationFailed
from loket_permits.cases import CaseDesk, ensure_case_indexes
from loket_permits.exceptions import AttachmentRejected, TransitionNotAllowed
from loket_permits.synthetic import insert_synthetic_cases

from .helpers import (
    PARKING,
    PDF,
    PNG,
    START,
    TENANT,
    TYPES,
    WORKER,
    applicant,
    b64,
    submitted_case,
)

pytestmark = pytest.mark.integration


def test_of_concurrent_decisions_exactly_one_wins(desk):
    case = submitted_case(desk)
    desk.transition(case["id"], "in_review", None, WORKER, None)
    outcomes = []

    def decide(n):
        try:
            desk.transition(case["id"], ("approved", "rejected")[n % 2], f"reason {n}",
                            {**WORKER, "subject": f"token:{n:016x}"}, None)
            outcomes.append("won")
        except TransitionNotAllowed:
            outcomes.append("lost")

    pool = eventlet.GreenPool()
    for n in range(12):
        pool.spawn(decide, n)
    pool.waitall()
    assert sorted(outcomes) == ["lost"] * 11 + ["won"]
    final = desk.case(case["id"])
    assert [step["to"] for step in final["history"]] == ["submitted", "in_review", final["state"]]
    assert desk.database["outbox"].count_documents(
        {"message.type": "permit_decided", "message.data.application_id": case["id"]}) == 1


def test_history_is_only_appended_to(desk, clock):
    case = submitted_case(desk)
    before = desk.case(case["id"])["history"]
    clock.now += timedelta(hours=1)
    desk.transition(case["id"], "in_review", None, WORKER, None)
    desk.assign(case["id"], WORKER["subject"], WORKER)
    after = desk.case(case["id"])["history"]
    assert after[:len(before)] == before
    assert [step["action"] for step in after] == ["submitted", "in_review", "assigned"]
    assert after[1]["at"] == START + timedelta(hours=1)


def test_overdue_after_the_processing_days(desk, clock):
    case = submitted_case(desk)
    assert case["due_at"] == START + timedelta(days=14) and not case["overdue"]
    clock.now = START + timedelta(days=15)
    assert desk.case(case["id"])["overdue"]
    assert desk.queue({"overdue": True, "limit": 50})["total"] == 1
    assert desk.queue({"overdue": False, "limit": 50})["total"] == 0
    desk.transition(case["id"], "in_review", None, WORKER, None)
    desk.transition(case["id"], "rejected", "Not in the zone.", WORKER, None)
    assert not desk.case(case["id"])["overdue"]  # decided cases are not overdue
    assert desk.queue({"overdue": True, "limit": 50})["total"] == 0


def test_attachments_are_checked_by_content_and_size(desk):
    case = desk.create(applicant(), "id-card", {}, None)
    photo = desk.add_attachment("subject-1", case["id"], "biometric_photo", "photo.pdf",
                                b64(PNG))
    assert photo["content_type"] == "image/png"
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48
    with pytest.raises(AttachmentRejected):
        desk.add_attachment("subject-1", case["id"], "biometric_photo", "photo.png", b64(exe))
    with pytest.raises(AttachmentRejected):  # PDF is not accepted for a photo
        desk.add_attachment("subject-1", case["id"], "biometric_photo", "photo.png", b64(PDF))
    with pytest.raises(AttachmentRejected, match="not accepted"):
        desk.add_attachment("subject-1", case["id"], "biometric_photo", "big.png",
                            b64(PNG + b"\x00" * 2_000_000))
    with pytest.raises(ValidationFailed):
        desk.add_attachment("subject-1", case["id"], "tax_return", "a.pdf", b64(PDF))
    desk.remove_attachment("subject-1", case["id"], photo["id"])
    assert desk.own("subject-1", case["id"])["attachments"] == []
    with pytest.raises(NotFound):
        desk.attachment(case["id"], photo["id"], None)


def test_no_changes_after_submission(desk):
    case = submitted_case(desk)
    with pytest.raises(TransitionNotAllowed):
        desk.update_draft("subject-1", case["id"], {"zone": "B"})
    with pytest.raises(TransitionNotAllowed):
        desk.add_attachment("subject-1", case["id"], "vehicle_registration", "b.pdf", b64(PDF))
    with pytest.raises(ValidationFailed):
        desk.transition(case["id"], "information_requested", None, WORKER, None)


def test_queue_filters_and_keyset_pages_across_two_tenants(database, desk, clock):
    ensure_case_indexes(database)
    types = ["residents-parking", "special-use", "id-card"]
    insert_synthetic_cases(database, TENANT, 200, types, seed=1)
    insert_synthetic_cases(database, "beispielstadt", 100, ["residents-parking"], seed=2)
    clock.now = datetime.now(UTC)
    everything = list(database["applications"].find({"tenant": TENANT}))
    seen, after, pages = [], None, 0
    while True:
        page = desk.queue({"type_id": "residents-parking", "state": "submitted", "limit": 7,
                           "after": after})
        seen += page["items"]
        pages += 1
        after = page["next"]
        if after is None:
            break
    expected = sorted((case["due_at"], case["id"]) for case in everything
                       if case["type_id"] == "residents-parking"
                       and case["state"] == "submitted")
    assert [(item["due_at"], item["id"]) for item in seen] == expected
    assert page["total"] == len(expected) and pages == -(-len(expected) // 7)
    assert all(item["tenant"] == TENANT for item in seen)
    nobody = desk.queue({"assigned_to": "nobody", "limit": 100})
    assert nobody["total"] == sum(1 for case in everything if case["assigned_to"] is None)
    assert all(item["assigned_to"] is None for item in nobody["items"])
    now = clock.now
    overdue = desk.queue({"overdue": True, "limit": 100})
    assert overdue["total"] == sum(1 for case in everything if case["due_at"] < now
                                   and case["state"] in ("submitted", "in_review",
                                                         "information_requested"))
    assert all(item["overdue"] for item in overdue["items"])
    unfiltered, after = [], None
    while True:
        page = desk.queue({"limit": 50, "after": after})
        unfiltered += [item["id"] for item in page["items"]]
        if (after := page["next"]) is None:
            break
    assert sorted(unfiltered) == sorted(case["id"] for case in everything)
    other = CaseDesk(database, "beispielstadt", TYPES, clock).queue({"limit": 100})
    assert other["total"] == 100


def test_a_foreign_cursor_is_rejected(desk):
    with pytest.raises(ValidationFailed):
        desk.queue({"limit": 5, "after": "garbage"})


def test_an_id_card_application_links_to_booking_an_appointment(desk):
    case = desk.create(applicant(), "id-card", {
        "given_names": "Erika", "family_name": "Mustermann", "birth_date": "1990-05-01",
        "under_24": False, "height_cm": 170}, None)
    assert case["appointment_service"] == "id-card"
    desk.add_attachment("subject-1", case["id"], "biometric_photo", "me.png", b64(PNG))
    submitted = desk.submit("subject-1", case["id"])
    assert "appointment" in submitted["next_step"]["en"] and submitted["fee_cents"] == 3700
    event = desk.database["outbox"].find_one({"message.type": "permit_submitted"})
    assert event["message"]["data"]["appointment_service"] == "id-card"


def test_a_large_file_within_the_limit_is_stored_and_read_back(desk):
    case = desk.create(applicant(), "special-use", {}, None)
    content = PDF + b" " * 9_000_000
    stored = desk.add_attachment("subject-1", case["id"], "site_plan", "plan.pdf", b64(content))
    assert stored["size"] == len(content)
    assert desk.attachment(case["id"], stored["id"], "subject-1")["content_base64"] == b64(
        content)
    with pytest.raises(NotFound):
        desk.attachment(case["id"], stored["id"], "subject-2")


def test_an_information_request_names_real_fields(desk):
    case = submitted_case(desk)
    desk.transition(case["id"], "in_review", None, WORKER, None)
    with pytest.raises(ValidationFailed):
        desk.transition(case["id"], "information_requested", "?", WORKER,
                        {"message": "Shoe size?", "fields": ["shoe_size"]})
    asked = desk.transition(case["id"], "information_requested", "scan", WORKER,
                            {"message": "New scan", "fields": ["documents.vehicle_registration"]})
    assert asked["state"] == "information_requested"
    assert not desk.queue({"state": "information_requested", "limit": 5})["items"][0]["overdue"]


def test_case_workers_do_not_see_drafts(desk):
    case = desk.create(applicant(), "residents-parking", PARKING, None)
    with pytest.raises(NotFound):
        desk.case(case["id"])
    with pytest.raises(NotFound):
        desk.assign(case["id"], WORKER["subject"], WORKER)
    assert desk.queue({"limit": 5})["total"] == 0
