"""What appointments tells the notifications service, and the office's cancellation."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ClusterRpcProxy

from loket_appointments.booking_desk import BookingDesk
from loket_appointments.counter_desk import CounterDesk
from loket_appointments.dependencies import AppointmentsStore
from loket_appointments.exceptions import BookingNotFound
from loket_appointments.notification_reads import NotificationReads
from loket_appointments.release_lottery import ReleaseLottery
from loket_appointments.resident_data import ResidentData
from loket_appointments.service import AppointmentsService
from loket_common.errors import NotFound
from loket_common.testing import Clock, database_text, outbox_data

pytestmark = pytest.mark.integration

TENANT = "testtown"
BERLIN = ZoneInfo("Europe/Berlin")
ALL_WEEK = {day: [["08:00", "09:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat",
                                                  "sun")}
OFFICE = {"id": "rathaus", "name": {"de": "Bürgerbüro Mitte", "en": "Citizens' office"},
          "address": {"street": "Marktplatz 1", "postal_code": "12345", "city": "Testtown"},
          "accessibility": {"de": "Stufenlos", "en": "Step-free"},
          "timezone": "Europe/Berlin", "service_ids": ["id-card", "passport"],
          "counters": [{"id": "c1", "service_ids": ["id-card", "passport"]}],
          "opening_hours": ALL_WEEK}
POLICY = {"release_days_ahead": 14, "release_time": "00:00", "min_lead_minutes": 0,
          "max_active_bookings_per_person": 5}
DOCUMENTS = [{"de": "Altes Ausweisdokument", "en": "Your old ID document"}]
ID_CARD = {"id": "id-card", "name": {"de": "Personalausweis", "en": "ID card"},
           "duration_minutes": 20, "fee_cents": 3700, "required_documents": DOCUMENTS,
           "booking_policy": POLICY}
PASSPORT = {"id": "passport", "name": {"de": "Reisepass", "en": "Passport"},
            "duration_minutes": 20, "fee_cents": 7000, "required_documents": [],
            "booking_policy": {**POLICY, "release_time": "07:00", "release_mode": "lottery",
                               "lottery_window_minutes": 60}}
SUBJECT = "r-" + "c3" * 16
ERIKA = {"name": "Erika Mustermann", "email": "erika.m@example.org", "language": "en"}
COUNTER = {"subject": "staff:c1", "name": "Max Schalter", "role": "counter_staff"}
REASON = "Das Bürgerbüro bleibt wegen Wasserschaden geschlossen."


def tomorrow_at_eight() -> datetime:
    day = datetime.now(BERLIN).date() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, 8, 0, tzinfo=BERLIN)


@pytest.fixture
def store(database):
    store = AppointmentsStore(database)
    store.ensure_indexes()
    for service in (ID_CARD, PASSPORT):
        store.put_service(TENANT, service)
    store.put_office(TENANT, OFFICE)
    return store


def book(desk, start, contact=ERIKA, subject=SUBJECT, client="client"):
    held = desk.hold(OFFICE, ID_CARD, start, client, None)
    return desk.confirm(held["id"], contact, lambda service_id: 5, subject)


def test_booking_for_notification_has_contact_office_and_service(store):
    desk = store.desk(TENANT)
    booking, _token = book(desk, tomorrow_at_eight())
    reads = NotificationReads(desk, store)
    found = reads.booking(booking["reference"].lower())
    assert found["contact"] == {"name": "Erika Mustermann", "email": "erika.m@example.org",
                                "language": "en"}
    assert (found["reference"], found["state"], found["tenant"], found["subject"]) == (
        booking["reference"], "booked", TENANT, SUBJECT)
    assert found["office"]["name"]["de"] == "Bürgerbüro Mitte"
    assert found["office"]["address"] == OFFICE["address"]
    assert found["office"]["time_zone"] == found["office"]["timezone"] == "Europe/Berlin"
    assert found["service"]["fee_cents"] == 3700
    assert found["service"]["documents"] == found["service"]["required_documents"] == DOCUMENTS
    assert datetime.fromisoformat(found["start"]) == tomorrow_at_eight()
    assert (found["cancelled_by"], found["cancellation_reason"]) == (None, None)
    with pytest.raises(BookingNotFound):
        reads.booking("ZZZZ-ZZZZ")
    with pytest.raises(BookingNotFound):  # another tenant's reference is unknown here
        NotificationReads(store.desk("othertown"), store).booking(booking["reference"])
    # a walk-in has a name and no email
    walk_in = CounterDesk(desk).walk_in(OFFICE, ID_CARD, tomorrow_at_eight()
                                        + timedelta(minutes=20), "Max Mustermann")
    assert reads.booking(walk_in["reference"])["contact"] == {
        "name": "Max Mustermann", "email": None, "language": None}
    assert outbox_data(store.database, "personal_data_accessed") == []


def test_lottery_entry_for_notification_before_and_after_the_draw(database, store):
    released = datetime(2026, 11, 23, 7, 30, tzinfo=BERLIN)
    clock = Clock(released)
    desk = BookingDesk(database, TENANT, store.settings, now=clock)
    lottery = ReleaseLottery(desk, store)
    entry, _token = lottery.enter(PASSPORT, OFFICE, "rathaus", {**ERIKA, "subject": SUBJECT})
    reads = NotificationReads(desk, store)
    pending = reads.entry(entry["reference"])
    assert (pending["state"], pending["booking"], pending["subject"]) == (
        "pending", None, SUBJECT)
    assert pending["contact"]["email"] == "erika.m@example.org"
    assert pending["service"] == {"id": "passport", "name": PASSPORT["name"]}
    assert pending["office"]["id"] == "rathaus" and pending["draw_at"]
    clock.now = entry["draw_at"] + timedelta(seconds=1)
    lottery.draw("passport", date.fromisoformat(entry["day"]))
    won = reads.entry(entry["reference"])
    assert won["state"] == "allocated" and won["reason"] is None
    assert won["booking"]["contact"]["name"] == "Erika Mustermann"
    assert won["booking"]["office"]["time_zone"] == "Europe/Berlin"
    booked = outbox_data(database, "appointment_booked")
    assert [event["entry_reference"] for event in booked] == [entry["reference"]]
    assert booked[0]["reference"] == won["booking"]["reference"]
    with pytest.raises(NotFound):
        reads.entry("ZZZZ-ZZZZ")
    with pytest.raises(NotFound):
        NotificationReads(store.desk("othertown"), store).entry(entry["reference"])


def remote(call, *args):
    with pytest.raises(RemoteError) as error:
        call(*args)
    return error.value


def test_the_office_cancels_a_booking(container_factory, service_config, store, database):
    desk = store.desk(TENANT)
    start = tomorrow_at_eight()
    booking, token = book(desk, start)
    other, other_token = book(desk, start + timedelta(minutes=20), client="other")
    container_factory(AppointmentsService, service_config).start()
    with ClusterRpcProxy(service_config) as rpc:
        appointments = rpc.appointments
        unknown = remote(appointments.booking_for_notification, TENANT, "ZZZZ-ZZZZ")
        assert unknown.exc_type == "BookingNotFound" and "booking_not_found" in unknown.value
        for role in ("case_worker", "resident"):
            refused = remote(appointments.cancel_booking_by_office, TENANT,
                             booking["reference"], {**COUNTER, "role": role}, REASON)
            assert refused.exc_type == "RoleNotAllowed"
        for reason in ("", "x" * 501, None):
            bad = remote(appointments.cancel_booking_by_office, TENANT, booking["reference"],
                         COUNTER, reason)
            assert bad.exc_type == "ValidationFailed" and "reason" in bad.value
        assert remote(appointments.cancel_booking_by_office, TENANT, "ZZZZ-ZZZZ", COUNTER,
                      REASON).exc_type == "BookingNotFound"
        assert remote(appointments.cancel_booking_by_office, "othertown",
                      booking["reference"], COUNTER, REASON).exc_type == "BookingNotFound"
        assert desk.bookings.find_one({"id": booking["id"]})["state"] == "booked"

        cancelled = appointments.cancel_booking_by_office(
            TENANT, booking["reference"], {**COUNTER, "role": "tenant_admin"}, REASON)
        assert cancelled["state"] == "cancelled"
        again = remote(appointments.cancel_booking_by_office, TENANT, booking["reference"],
                       COUNTER, REASON)
        assert again.exc_type == "NotBookable"
        told = appointments.booking_for_notification(TENANT, booking["reference"])
        assert (told["state"], told["cancelled_by"], told["cancellation_reason"]) == (
            "cancelled", "office", REASON)
        assert told["contact"]["email"] == "erika.m@example.org"
        # the slot is free again at once
        slots = appointments.search_slots(TENANT, {
            "service_id": "id-card", "office_id": "rathaus",
            "date_from": start.date().isoformat(), "date_to": start.date().isoformat()})
        assert start.isoformat() in [slot["start"] for slot in slots]
        # the resident's own cancellation says so
        appointments.cancel_booking(TENANT, other["reference"], other_token)
        assert appointments.booking_for_notification(TENANT, other["reference"])[
            "cancelled_by"] == "resident"
    events = {event["reference"]: event for event in
              outbox_data(database, "appointment_cancelled")}
    assert events[booking["reference"]]["cancelled_by"] == "office"
    assert events[other["reference"]]["cancelled_by"] == "resident"
    raw = database_text(database)
    assert "Wasserschaden" not in raw and "erika.m@example.org" not in raw
    assert outbox_data(database, "personal_data_accessed") == []
    assert token not in raw


def test_the_office_reason_is_exported_and_erased_with_the_person(store, database):
    desk = store.desk(TENANT)
    booking, _token = book(desk, tomorrow_at_eight() + timedelta(days=1))
    past, _ = book(desk, tomorrow_at_eight(), client="past")
    for cancelled in (booking, past):
        desk.cancel(cancelled, "office", {"cancellation_reason": desk.seal(REASON, SUBJECT)})
    data = ResidentData(desk)
    exported = {entry["reference"]: entry for entry in data.export(SUBJECT)["bookings"]}
    assert exported[booking["reference"]]["cancellation_reason"] == REASON
    assert exported[booking["reference"]]["cancelled_by"] == "office"
    clock = Clock(tomorrow_at_eight() + timedelta(hours=2))  # the first one is past now
    later = ResidentData(BookingDesk(database, TENANT, store.settings, now=clock))
    with database.client.start_session() as session, session.start_transaction():
        later.erase(SUBJECT, session)
    left = list(database["bookings"].find({"tenant": TENANT}))
    assert [entry.get("anonymised") for entry in left] == [True]
    assert "cancellation_reason" not in left[0] and "Wasserschaden" not in database_text(database)
