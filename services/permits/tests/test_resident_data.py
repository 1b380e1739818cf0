"""Personal data in permits: encrypted at rest, access logged, exported and erased."""
import base64
import json
from functools import partial

import pytest
from kombu import Connection
from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ClusterRpcProxy

from loket_common.crypto import DataCipher, UndecryptableData, new_key
from loket_common.events import Event
from loket_common.key_rotation import reencrypt_documents
from loket_common.key_vault import ShreddedData, SubjectCipher
from loket_common.testing import database_text, outbox_data, runs_of, wait_for
from loket_common.topology import event_exchange
from loket_permits.case_queue import count_cases
from loket_permits.cases import CaseDesk
from loket_permits.dependencies import PermitsStore
from loket_permits.encrypted_fields import ENCRYPTED_FIELDS, KEY_OWNERS
from loket_permits.resident_data import ResidentData
from loket_permits.sealing import seal_plaintext_applications
from loket_permits.service import PermitsService

from .helpers import PARKING, PDF, TENANT, TYPES, WORKER, b64

pytestmark = pytest.mark.integration

SUBJECT = "r-" + "c3" * 16
OTHER = "r-" + "d4" * 16
ERIKA = {"subject": SUBJECT, "name": "Erika Mustermann", "language": "de"}
COMPANY = {"company_name": "Mustermann Kfz GmbH", "register_number": "HRB 4711",
           "role": "director"}
FILENAME = "fahrzeugschein-mustermann.pdf"
PLAINTEXT = ("Mustermann", "Hauptstraße", "M-AB 1234", "HRB 4711", "fahrzeugschein",
             "%PDF", "Plate unreadable", "Approved after review", "withdrawn by me")
STAFF = {**WORKER, "name": "Clara Sachbearbeiterin"}


def application(desk, person=ERIKA, submit=True):
    case = desk.create(person, "residents-parking", PARKING, COMPANY)
    desk.add_attachment(person["subject"], case["id"], "vehicle_registration", FILENAME,
                        b64(PDF))
    return desk.submit(person["subject"], case["id"]) if submit else case


def stored_counts(database):
    return {(doc["type_id"], doc["state"], doc["assigned_to"]): doc["count"]
            for doc in database["queue_counts"].find({"tenant": TENANT}) if doc["count"]}


def recomputed_counts(database):
    return {key: entry[0] for key, entry in
            count_cases(database["applications"].find({"tenant": TENANT})).items()}


@pytest.fixture
def store(database, desk):
    store = PermitsStore(database, TYPES)
    store.ensure_indexes()
    store.desk = lambda tenant: desk  # on the test's clock
    return store


def test_an_application_is_stored_encrypted_and_read_back_whole(desk, database):
    case = application(desk)
    desk.transition(case["id"], "in_review", None, WORKER, None)
    desk.transition(case["id"], "information_requested", "Plate unreadable", WORKER,
                    {"message": "Plate unreadable, Frau Mustermann", "fields": ["licence_plate"]})
    text = database_text(database)
    assert not [plain for plain in PLAINTEXT if plain in text]
    read = desk.own(SUBJECT, case["id"])
    assert read["data"]["address"]["street"] == "Hauptstraße 1"
    assert read["applicant"] == ERIKA and read["on_behalf_of"] == COMPANY
    assert read["attachments"][0]["filename"] == FILENAME
    assert read["history"][-1]["reason"] == "Plate unreadable"
    assert read["information_request"]["message"].endswith("Mustermann")
    assert base64.b64decode(desk.attachment(case["id"], read["attachments"][0]["id"], SUBJECT)[
        "content_base64"]) == PDF
    queued = desk.queue({"limit": 10})["items"][0]
    assert (queued["applicant"]["name"], queued["on_behalf_of"]["company_name"]) == (
        "Erika Mustermann", "Mustermann Kfz GmbH")
    for event in database["outbox"].find():
        assert "Mustermann" not in str(event) and "Plate unreadable" not in str(event)


def test_staff_reads_of_a_case_and_its_files_are_logged(desk, database):
    case = application(desk)
    desk.case(case["id"])  # the service itself reading: no access by anyone
    assert outbox_data(database, "personal_data_accessed") == []
    desk.read_case(case["id"], STAFF)
    desk.attachment(case["id"], case["attachments"][0]["id"], None, STAFF)
    logged = outbox_data(database, "personal_data_accessed")
    assert [(entry["purpose"], entry["record"]) for entry in logged] == [
        ("case_processing", case["reference"]), ("case_attachment", case["reference"])]
    assert logged[0]["subject"] == SUBJECT and logged[0]["service"] == "permits"
    assert logged[0]["actor"] == {"subject": WORKER["subject"], "name": "Clara Sachbearbeiterin",
                                  "role": "case_worker"}


def test_the_export_holds_every_application_with_history_and_files(desk, database):
    draft = application(desk, submit=False)
    submitted = application(desk)
    application(desk, {**ERIKA, "subject": OTHER})
    exported = json.loads(json.dumps(ResidentData(desk).export(SUBJECT)))  # plain JSON
    assert exported["service"] == "permits"
    assert {item["id"] for item in exported["applications"]} == {draft["id"], submitted["id"]}
    item = next(item for item in exported["applications"] if item["id"] == submitted["id"])
    assert item["data"] == PARKING and item["on_behalf_of"] == COMPANY
    assert item["history"][0]["to"] == "submitted"
    attachment = item["attachments"][0]
    assert (attachment["filename"], attachment["content_type"]) == (FILENAME, "application/pdf")
    assert base64.b64decode(attachment["content_base64"]) == PDF


def test_erasure_deletes_drafts_withdraws_open_cases_and_keeps_decisions_anonymised(
        store, desk, database):
    draft = application(desk, submit=False)
    open_case = application(desk)
    desk.assign(open_case["id"], WORKER["subject"], WORKER)
    decided = application(desk)
    desk.transition(decided["id"], "in_review", None, WORKER, None)
    desk.transition(decided["id"], "approved", "Approved after review", WORKER, None)
    withdrawn = application(desk)
    desk.withdraw(SUBJECT, withdrawn["id"], "withdrawn by me")
    desk.read_case(decided["id"], STAFF)
    others = application(desk, {"subject": OTHER, "name": "Otto Normal", "language": "en"})
    request = Event(source="profile", type="erasure_requested", tenant=TENANT,
                    data={"request_id": "req-7", "subject": SUBJECT})

    assert store.erase_subject(request) is True
    assert store.erase_subject(request) is False  # delivered twice: handled once

    assert outbox_data(database, "erasure_completed") == [
        {"request_id": "req-7", "service": "permits", "deleted": 1, "anonymised": 3}]
    assert database["applications"].count_documents({"id": draft["id"]}) == 0
    kept = {case["id"]: case for case in database["applications"].find()}
    assert kept[open_case["id"]]["state"] == "withdrawn"
    assert kept[open_case["id"]]["history"][-1]["action"] == "erasure"
    approved = kept[decided["id"]]
    assert (approved["state"], approved["type_id"], approved["fee_cents"],
            approved["decision"]) == ("approved", "residents-parking", decided["fee_cents"],
                                      {"outcome": "approved", "reason": None})
    assert approved["submitted_at"] and approved["decided_at"] and approved["due_at"]
    assert approved["applicant"]["subject"] is None and approved["data"] == {}
    assert stored_counts(database) == recomputed_counts(database)  # the queue stays exact
    assert desk.queue({"limit": 10})["total"] == 4
    assert database["attachment_files"].count_documents({}) == 1  # Otto's
    text = database_text(database)
    assert SUBJECT not in text
    assert not [plain for plain in PLAINTEXT if plain in text]
    assert desk.own(OTHER, others["id"])["applicant"]["name"] == "Otto Normal"
    assert desk.case(decided["id"])["state"] == "approved"  # still readable for staff


def test_erasure_destroys_the_applicants_key_so_copies_do_not_open(store, desk, database):
    decided = application(desk)
    desk.transition(decided["id"], "in_review", None, WORKER, None)
    desk.transition(decided["id"], "approved", "Approved after review", WORKER, None)
    others = application(desk, {"subject": OTHER, "name": "Otto Normal", "language": "en"})
    copy = {name: list(database[name].find()) for name in ENCRYPTED_FIELDS}  # a backup

    store.erase_subject(Event(source="profile", type="erasure_requested", tenant=TENANT,
                              data={"request_id": "req-8", "subject": SUBJECT}))

    fresh = CaseDesk(database, TENANT, TYPES, cipher=SubjectCipher.over(database))
    for stored in copy["applications"]:
        if stored["id"] == others["id"]:
            assert fresh.sealer.open(stored)["applicant"]["name"] == "Otto Normal"
        else:
            with pytest.raises(ShreddedData):
                fresh.sealer.open(stored)
    erika_files = [file for file in copy["attachment_files"]
                   if file["application_id"] == decided["id"]]
    with pytest.raises(ShreddedData):
        fresh.sealer.open_content(erika_files[0]["content"])
    kept = fresh.case(decided["id"])  # the anonymised case needs no key: nothing sealed left
    assert (kept["state"], kept["decision"]) == ("approved", {"outcome": "approved",
                                                              "reason": None})


def test_key_rotation_rewraps_the_keys_and_moves_older_values(database, clock):
    old, new = new_key(), new_key()
    before = CaseDesk(database, TENANT, TYPES, clock,
                      cipher=subject_cipher(database, f"{TENANT}={old}"))
    case = application(before)
    before.transition(case["id"], "in_review", None, WORKER, None)
    before.transition(case["id"], "information_requested", "Plate unreadable", WORKER,
                      {"message": "Please send a new scan", "fields": ["licence_plate"]})
    before.answer(SUBJECT, case["id"], {"licence_plate": "M-AB 1235"}, "New scan")
    before.transition(case["id"], "in_review", None, WORKER, None)
    before.transition(case["id"], "approved", "Approved after review", WORKER, None)
    tenant_key = before.sealer.cipher.tenant_keys  # the file as stored before shredding
    database["attachment_files"].update_one({}, {"$set": {
        "content": tenant_key.encrypt_bytes(TENANT, PDF)}})
    rotating = subject_cipher(database, f"{TENANT}={new},{old}")
    assert rotating.vault.rewrap(TENANT).rewrapped == 1
    moved = [reencrypt_documents(database[collection], TENANT, fields, rotating,
                                 partial(KEY_OWNERS[collection], database)).moved
             for collection, fields in ENCRYPTED_FIELDS.items()]
    assert moved == [0, 1]
    after = CaseDesk(database, TENANT, TYPES, clock,
                     cipher=subject_cipher(database, f"{TENANT}={new}"))
    read = after.own(SUBJECT, case["id"])  # the old key is gone
    assert (read["applicant"]["name"], read["on_behalf_of"], read["data"]["licence_plate"],
            read["decision"]["reason"], read["information_request"]["message"],
            read["attachments"][0]["filename"]) == (
        "Erika Mustermann", COMPANY, "M-AB 1235", "Approved after review",
        "Please send a new scan", FILENAME)
    assert [entry["reason"] for entry in read["history"]][-3:] == [
        "New scan", None, "Approved after review"]
    content = after.attachment(case["id"], read["attachments"][0]["id"], SUBJECT)
    assert base64.b64decode(content["content_base64"]) == PDF
    with pytest.raises(UndecryptableData):
        CaseDesk(database, TENANT, TYPES, clock, cipher=subject_cipher(
            database, f"{TENANT}={old}")).own(SUBJECT, case["id"])


def subject_cipher(database, keys):
    return SubjectCipher.over(database, DataCipher.from_env(
        {"LOKET_DATA_KEYS": keys, "LOKET_INDEX_KEY": "index"}))


def test_the_rpcs_log_staff_reads_export_and_erase_through_the_broker(
        container_factory, service_config, database):
    container = container_factory(PermitsService, service_config)
    container.start()
    with ClusterRpcProxy(service_config) as rpc:
        permits = rpc.permits
        levels = {item["id"]: item["minimum_trust_level"]
                  for item in permits.list_permit_types(TENANT)}
        assert (levels["id-card"], levels["business-registration"],
                levels["residents-parking"]) == ("substantial", "substantial", "low")
        assert permits.get_permit_type(TENANT, "id-card")["minimum_trust_level"] == "substantial"
        draft = permits.create_application(TENANT, ERIKA, "residents-parking", PARKING, COMPANY)
        file = permits.add_attachment(TENANT, ERIKA, draft["id"], "vehicle_registration",
                                      FILENAME, b64(PDF))
        case = permits.submit_application(TENANT, ERIKA, draft["id"])
        assert permits.get_case(TENANT, case["id"])["applicant"] == ERIKA  # old callers
        opened = permits.get_case(TENANT, case["id"], STAFF)
        assert opened["data"] == PARKING and opened["on_behalf_of"] == COMPANY
        permits.get_attachment(TENANT, case["id"], file["id"], None, STAFF)
        exported = permits.export_subject(TENANT, SUBJECT)
        assert exported["applications"][0]["attachments"][0]["content_base64"] == b64(PDF)
        with pytest.raises(RemoteError) as error:
            permits.export_subject(TENANT, "subject-1")
        assert error.value.exc_type == "ValidationFailed"
    logged = outbox_data(database, "personal_data_accessed")
    assert [entry["purpose"] for entry in logged] == ["case_processing", "case_attachment"]

    message = Event(source="profile", type="erasure_requested", tenant=TENANT,
                    data={"request_id": "req-rpc", "subject": SUBJECT}).to_message()
    with runs_of(container, "erase_subject", 2), \
            Connection(service_config["AMQP_URI"]) as connection:  # both deliveries ran
        producer = connection.Producer()
        for _ in range(2):  # the same event delivered twice
            producer.publish(message, exchange=event_exchange("profile"),
                             routing_key="erasure_requested", serializer="json",
                             declare=[event_exchange("profile")], retry=True)
    completed = wait_for(lambda: database["outbox"].find_one(
        {"message.type": "erasure_completed", "published_at": {"$ne": None}}))
    assert completed["message"]["data"] == {"request_id": "req-rpc", "service": "permits",
                                            "deleted": 0, "anonymised": 1}
    assert database["handled_events"].count_documents({}) == 1
    assert database["outbox"].count_documents({"message.type": "erasure_completed"}) == 1
    assert SUBJECT not in database_text(database)
    assert database["applications"].find_one({"id": case["id"]})["state"] == "withdrawn"


def test_applications_stored_before_encryption_are_sealed_once(desk, database):
    case = application(desk)
    opened = desk.sealer.open(database["applications"].find_one({"id": case["id"]}))
    database["applications"].replace_one({"id": case["id"]}, opened)  # as before issue 5
    database["attachment_files"].update_one({}, {"$set": {"content": PDF}})
    assert "Mustermann" in database_text(database)
    assert seal_plaintext_applications(database, desk.sealer.cipher) == 2
    assert seal_plaintext_applications(database, desk.sealer.cipher) == 0
    assert not [plain for plain in PLAINTEXT if plain in database_text(database)]
    read = desk.own(SUBJECT, case["id"])
    assert read["applicant"] == ERIKA and read["data"] == PARKING
    content = desk.attachment(case["id"], read["attachments"][0]["id"], SUBJECT)
    assert base64.b64decode(content["content_base64"]) == PDF
