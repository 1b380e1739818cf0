"""Personal data in appointments: encrypted at rest, exported, erased; staff access logged."""
import json
from datetime import date, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

import pytest
from kombu import Connection
from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ClusterRpcProxy

from loket_appointments.booking_desk import BookingDesk
from loket_appointments.counter_desk import CounterDesk
from loket_appointments.dependencies import AppointmentsStore
from loket_appointments.encrypted_fields import ENCRYPTED_FIELDS, KEY_OWNERS
from loket_appointments.release_lottery import ReleaseLottery
from loket_appointments.resident_data import ResidentData
from loket_appointments.sealing import seal_plaintext_contacts
from loket_appointments.service import AppointmentsService
from loket_common.crypto import DataCipher, UndecryptableData, new_key
from loket_common.errors import ValidationFailed
from loket_common.events import Event
from loket_common.key_rotation import reencrypt_documents
from loket_common.key_vault import ShreddedData, SubjectCipher
from loket_common.testing import Clock, database_text, outbox_data, runs_of, wait_for
from loket_common.topology import event_exchange
from loket_common.validation import load
from loket_contracts.appointments.schemas import ContactSchema

pytestmark = pytest.mark.integration

TENANT = "testtown"
BERLIN = ZoneInfo("Europe/Berlin")
OPEN = datetime(2026, 11, 23, 7, 30, tzinfo=BERLIN)  # Monday; the passport lottery is open
HOURS = {day: [["08:00", "09:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
OFFICE = {"id": "rathaus", "timezone": "Europe/Berlin", "service_ids": ["passport", "id-card"],
          "counters": [{"id": "c1", "service_ids": ["passport", "id-card"]}],
          "opening_hours": HOURS}
POLICY = {"release_days_ahead": 14, "release_time": "07:00", "min_lead_minutes": 0,
          "max_active_bookings_per_person": 5}
PASSPORT = {"id": "passport", "duration_minutes": 20,
            "booking_policy": {**POLICY, "release_mode": "lottery",
                               "lottery_window_minutes": 60}}
ID_CARD = {"id": "id-card", "duration_minutes": 15, "booking_policy": POLICY}
TUESDAY = datetime(2026, 11, 24, 8, 0, tzinfo=BERLIN)
WEDNESDAY = datetime(2026, 11, 25, 8, 0, tzinfo=BERLIN)
SUBJECT = "r-" + "a1" * 16
OTHER = "r-" + "b2" * 16
ERIKA = {"name": "Erika Mustermann", "email": "Erika.M@example.org", "language": "de"}
PLAINTEXT = ("Erika", "Mustermann", "erika.m@example.org", "Erika.M@example.org")
STAFF = {"subject": "staff:x7", "name": "Max Schalter", "role": "counter_staff"}


@pytest.fixture
def clock():
    return Clock(OPEN)


@pytest.fixture
def store(database, clock):
    store = AppointmentsStore(database)
    store.ensure_indexes()
    for service in (PASSPORT, ID_CARD):
        store.put_service(TENANT, service)
    store.put_office(TENANT, OFFICE)
    desk = BookingDesk(database, TENANT, store.settings, now=clock)
    store.desk = lambda tenant: desk  # every part of the store on the test's clock
    return store


def book(store, start, contact=ERIKA, subject=SUBJECT, client="client"):
    desk = store.desk(TENANT)
    held = desk.hold(OFFICE, ID_CARD, start, client, None)
    return desk.confirm(held["id"], contact, lambda service_id: 5, subject)[0]


def erasure(subject=SUBJECT, request_id="req-1"):
    return Event(source="profile", type="erasure_requested", tenant=TENANT,
                 data={"request_id": request_id, "subject": subject})


def test_contact_data_is_stored_only_encrypted_and_events_carry_no_names(store, database):
    booking = book(store, TUESDAY)
    ReleaseLottery(store.desk(TENANT), store).enter(PASSPORT, OFFICE, None,
                                                    {**ERIKA, "subject": SUBJECT})
    store.counter(TENANT).walk_in(OFFICE, ID_CARD, TUESDAY + timedelta(minutes=15),
                                  "Erika Mustermann")
    text = database_text(database)
    assert not [plain for plain in PLAINTEXT if plain in text]
    stored = database["bookings"].find_one({"id": booking["id"]})
    assert stored["subject"] == SUBJECT  # the pseudonym stays in clear, for export/erasure
    assert store.desk(TENANT).contact_of(stored)["email"] == "Erika.M@example.org"
    # the per-person key is a keyed blind index, not a bare hash of the email
    assert stored["person_key"] == store.cipher.blind_index(TENANT, "erika.m@example.org")
    booked = outbox_data(database, "appointment_booked")
    assert booked and all("recipient" not in data for data in booked)
    assert booked[0]["subject"] == SUBJECT


def test_the_subject_must_be_a_resident_pseudonym():
    assert load(ContactSchema(), {**ERIKA, "subject": SUBJECT})["subject"] == SUBJECT
    assert load(ContactSchema(), ERIKA)["subject"] is None  # anonymous booking
    with pytest.raises(ValidationFailed) as error:
        load(ContactSchema(), {**ERIKA, "subject": "r-../../x"})
    assert error.value.extra["invalid_params"][0]["name"] == "subject"


def test_own_bookings_and_the_export(store, database):
    first = book(store, TUESDAY)
    second = book(store, WEDNESDAY)
    book(store, WEDNESDAY + timedelta(minutes=15), subject=OTHER, client="other",
         contact={**ERIKA, "email": "other@example.org"})
    store.desk(TENANT).cancel(store.desk(TENANT).bookings.find_one({"id": first["id"]}))
    data = ResidentData(store.desk(TENANT))
    assert [b["reference"] for b in data.own_bookings(SUBJECT)] == [
        second["reference"], first["reference"]]  # newest first, the cancelled one too
    exported = json.loads(json.dumps(data.export(SUBJECT)))  # plain JSON
    assert [b["reference"] for b in exported["bookings"]] == [
        second["reference"], first["reference"]]
    assert exported["bookings"][0]["contact"] == ERIKA
    assert datetime.fromisoformat(exported["bookings"][0]["start"]) == WEDNESDAY
    assert "manage_token_hash" not in exported["bookings"][0]


def test_staff_reading_the_day_list_or_checking_in_is_logged(store, database, clock):
    booking = book(store, TUESDAY)
    store.counter(TENANT).walk_in(OFFICE, ID_CARD, TUESDAY + timedelta(minutes=15), "Anon")
    counter = store.counter(TENANT)
    listed = counter.day_list("rathaus", date(2026, 11, 24))
    assert [entry["name"] for entry in listed] == ["Erika Mustermann", "Anon"]
    assert outbox_data(database, "personal_data_accessed") == []  # no actor, nothing to log
    counter.day_list("rathaus", date(2026, 11, 24), actor=STAFF)
    counter.check_in(booking["reference"], actor=STAFF)
    called = counter.call_next(OFFICE, "c1", actor=STAFF)
    assert called["name"] == "Erika Mustermann"
    logged = outbox_data(database, "personal_data_accessed")
    assert len(logged) == 3  # the walk-in has no subject: nobody to tell
    assert {entry["subject"] for entry in logged} == {SUBJECT}
    assert logged[0]["actor"] == STAFF and logged[0]["purpose"] == "counter_service"
    assert logged[0]["record"] == booking["reference"] and logged[0]["service"] == "appointments"


def test_erasure_frees_future_slots_anonymises_the_past_and_leaves_nothing(store, database,
                                                                         clock):
    past = book(store, TUESDAY)
    future = book(store, WEDNESDAY)
    ReleaseLottery(store.desk(TENANT), store).enter(PASSPORT, OFFICE, None,
                                                    {**ERIKA, "subject": SUBJECT})
    kept = book(store, WEDNESDAY + timedelta(minutes=15), subject=OTHER, client="other",
                contact={"name": "Otto", "email": "otto@example.org", "language": "en"})
    database["residents"].insert_one({"tenant": TENANT, "id": SUBJECT,
                                      "preferred_language": "de"})
    store.counter(TENANT).check_in(past["reference"], actor=STAFF)
    clock.now = TUESDAY + timedelta(hours=3)  # Tuesday's appointment is past
    ledger = store.desk(TENANT).ledger
    assert ledger.occupied("rathaus", [date(2026, 11, 25)])  # both Wednesday slots taken

    request = erasure()
    assert store.erase_subject(request) is True
    assert store.erase_subject(request) is False  # delivered twice: handled once

    completed = outbox_data(database, "erasure_completed")
    assert completed == [{"request_id": "req-1", "service": "appointments", "deleted": 3,
                          "anonymised": 1}]  # future booking, entry, projection; past one
    taken = ledger.occupied("rathaus", [date(2026, 11, 25)])
    assert sum(len(units) for units in taken.values()) == 3  # only Otto's 15 minutes left
    assert database["bookings"].count_documents({"id": future["id"]}) == 0
    anonymised = database["bookings"].find_one({"id": past["id"]})
    assert (anonymised["service_id"], anonymised["office_id"], anonymised["day"],
            anonymised["state"], anonymised["anonymised"]) == (
        "id-card", "rathaus", "2026-11-24", "checked_in", True)
    for gone in ("contact", "subject", "manage_token_hash", "person_key"):
        assert gone not in anonymised
    assert anonymised["reference"] != past["reference"]
    assert database["persons"].count_documents({}) == 1  # Otto's count only
    text = database_text(database)
    assert SUBJECT not in text and past["reference"] not in text
    assert not [plain for plain in PLAINTEXT if plain in text]
    assert database["bookings"].find_one({"id": kept["id"]})["subject"] == OTHER


def test_an_erasure_request_from_the_broker_completes_exactly_once(
        container_factory, service_config, database):
    container = container_factory(AppointmentsService, service_config)
    container.start()
    message = erasure(request_id="req-broker").to_message()
    with runs_of(container, "erase_subject", 2), \
            Connection(service_config["AMQP_URI"]) as connection:  # both deliveries ran
        producer = connection.Producer()
        for _ in range(2):  # the same event delivered twice
            producer.publish(message, exchange=event_exchange("profile"),
                             routing_key="erasure_requested", serializer="json",
                             declare=[event_exchange("profile")], retry=True)

    def published():
        return database["outbox"].find_one({"message.type": "erasure_completed",
                                            "published_at": {"$ne": None}})

    assert wait_for(published)["message"]["data"]["request_id"] == "req-broker"
    assert database["handled_events"].count_documents({}) == 1
    assert database["outbox"].count_documents({"message.type": "erasure_completed"}) == 1


def test_erasure_destroys_the_residents_key_so_copies_do_not_open(store, database, clock):
    book(store, TUESDAY)
    ReleaseLottery(store.desk(TENANT), store).enter(PASSPORT, OFFICE, None,
                                                    {**ERIKA, "subject": SUBJECT})
    otto = book(store, WEDNESDAY, subject=None, client="other",
                contact={"name": "Otto", "email": "otto@example.org", "language": "en"})
    copy = {name: list(database[name].find()) for name in ENCRYPTED_FIELDS}  # a backup
    clock.now = TUESDAY + timedelta(hours=3)

    store.erase_subject(erasure())

    desk = store.desk(TENANT)
    for document in copy["bookings"] + copy["lottery_entries"]:
        if document["id"] == otto["id"]:
            assert desk.contact_of(document)["name"] == "Otto"  # his own key, still there
        else:
            with pytest.raises(ShreddedData):
                desk.contact_of(document)
    with pytest.raises(ShreddedData):  # a fresh process, no cache, the same
        BookingDesk(database, TENANT, cipher=SubjectCipher.over(database)).contact_of(
            copy["lottery_entries"][0])
    assert database["key_vault"].count_documents({"owner": SUBJECT}) == 0
    assert database["key_vault"].count_documents({"owner": f"booking:{otto['id']}"}) == 1


def test_key_rotation_rewraps_the_keys_and_moves_older_contacts(store, database, clock):
    old, new = new_key(), new_key()
    before = BookingDesk(database, TENANT, store.settings, now=clock,
                         cipher=subject_cipher(database, f"{TENANT}={old}"))
    held = before.hold(OFFICE, ID_CARD, TUESDAY, "client", None)
    before.confirm(held["id"], ERIKA, lambda service_id: 5, SUBJECT)
    ReleaseLottery(before, store).enter(PASSPORT, OFFICE, None, {**ERIKA, "subject": SUBJECT})
    walk_in = CounterDesk(before).walk_in(OFFICE, ID_CARD, WEDNESDAY, "Erika Mustermann")
    database["bookings"].update_one(  # as stored before crypto-shredding: the tenant key
        {"id": walk_in["id"]}, {"$set": {"contact": before.cipher.tenant_keys.encrypt(
            TENANT, {"name": "Erika Mustermann"})}})
    database["key_vault"].delete_many({"owner": f"booking:{walk_in['id']}"})

    rotating = subject_cipher(database, f"{TENANT}={new},{old}")
    assert rotating.vault.rewrap(TENANT).rewrapped == 1  # Erika's one key
    moved = [reencrypt_documents(database[collection], TENANT, fields, rotating,
                                 partial(KEY_OWNERS[collection], database)).moved
             for collection, fields in ENCRYPTED_FIELDS.items()]
    assert moved == [1, 0]  # only the older walk-in

    after = BookingDesk(database, TENANT, store.settings, now=clock,
                        cipher=subject_cipher(database, f"{TENANT}={new}"))  # old key gone
    contacts = [after.contact_of(document) for collection in ENCRYPTED_FIELDS
                for document in database[collection].find()]
    assert sorted(contact["name"] for contact in contacts) == ["Erika Mustermann"] * 3
    with pytest.raises(UndecryptableData):
        BookingDesk(database, TENANT, cipher=subject_cipher(database, f"{TENANT}={old}")
                    ).contact_of(database["bookings"].find_one())


def subject_cipher(database, keys):
    return SubjectCipher.over(database, DataCipher.from_env(
        {"LOKET_DATA_KEYS": keys, "LOKET_INDEX_KEY": "index"}))


def test_the_rpcs_of_a_signed_in_resident_and_of_counter_staff(container_factory,
                                                                service_config, database):
    store = AppointmentsStore(database)
    store.put_service(TENANT, {**ID_CARD, "booking_policy": {
        **POLICY, "release_days_ahead": 7, "release_time": "00:00"}})
    store.put_office(TENANT, {**OFFICE, "opening_hours": {
        day: [["08:00", "12:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat",
                                              "sun")}})
    container_factory(AppointmentsService, service_config).start()
    with ClusterRpcProxy(service_config) as rpc:
        appointments = rpc.appointments
        slot = appointments.search_slots(TENANT, {"service_id": "id-card", "limit": 1})[0]
        held = appointments.hold_slot(TENANT, {"service_id": "id-card", "office_id": "rathaus",
                                               "start": slot["start"]}, "client", None)
        booked = appointments.confirm_hold(TENANT, held["hold_id"],
                                           {**ERIKA, "subject": SUBJECT})["booking"]
        own = appointments.list_own_bookings(TENANT, SUBJECT)
        assert [item["reference"] for item in own] == [booked["reference"]]
        assert appointments.list_own_bookings(TENANT, OTHER) == []
        day = slot["start"][:10]  # the slot's day in UTC is its day in Berlin (08-12 h)
        listed = appointments.day_list(TENANT, "rathaus", day, None, STAFF)
        assert [entry["name"] for entry in listed] == ["Erika Mustermann"]
        assert appointments.day_list(TENANT, "rathaus", day) == listed  # old callers
        exported = appointments.export_subject(TENANT, SUBJECT)
        assert exported["bookings"][0]["contact"]["email"] == "Erika.M@example.org"
        for call in (lambda: appointments.list_own_bookings(TENANT, "someone"),
                     lambda: appointments.export_subject(TENANT, {"$ne": None}),
                     lambda: appointments.confirm_hold(TENANT, held["hold_id"],
                                                       {**ERIKA, "subject": "r-1"}),
                     lambda: appointments.day_list(TENANT, "rathaus", day, None,
                                                   {"role": "counter_staff"})):
            with pytest.raises(RemoteError) as error:
                call()
            assert error.value.exc_type == "ValidationFailed"
    logged = wait_for(lambda: database["outbox"].find_one(
        {"message.type": "personal_data_accessed", "published_at": {"$ne": None}}))
    assert logged["message"]["data"]["actor"] == STAFF
    assert database["outbox"].count_documents({"message.type": "personal_data_accessed"}) == 1


def test_contacts_stored_before_encryption_are_sealed_once(store, database):
    booking = book(store, TUESDAY)
    database["bookings"].update_one({"id": booking["id"]},  # as written before issue 5
                                    {"$set": {"contact": ERIKA, "person_key": "old-sha256"}})
    assert seal_plaintext_contacts(database, store.cipher) == 1
    assert seal_plaintext_contacts(database, store.cipher) == 0
    stored = database["bookings"].find_one({"id": booking["id"]})
    assert store.desk(TENANT).contact_of(stored) == ERIKA
    assert stored["person_key"] == store.cipher.blind_index(TENANT, "erika.m@example.org")
    assert not [plain for plain in PLAINTEXT if plain in database_text(database)]
