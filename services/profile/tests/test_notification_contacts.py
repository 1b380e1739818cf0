"""What profile tells the notifications service: residents' and staff contacts, the erasure."""
import json
import os

import pytest
from kombu import Connection, Queue
from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ServiceRpcProxy

from loket_common.sealing import NOTIFICATIONS_PRIVATE_KEY_VARIABLE, open_sealed
from loket_common.testing import database_text, wait_for
from loket_common.topology import event_exchange
from loket_profile.dependencies import ProfileStore

from .helpers import CLAIMS, TENANT, new_subject, publish

pytestmark = pytest.mark.integration

STAFF = "staff:3f9a0c1d2e"
STAFF_CLAIMS = {"email": "s.weber@musterstadt.example", "given_name": "Sabine",
                "family_name": "Weberknecht", "preferred_language": "en-GB",
                "sub": "provider-id-ignored"}


def test_contact_for_notification_has_channel_language_and_consents(profile):
    subject = new_subject()
    assert profile.contact_for_notification(TENANT, subject) is None  # no profile yet
    profile.sign_in(TENANT, subject, CLAIMS)
    assert profile.contact_for_notification(TENANT, subject) == {
        "email": "erika.mustermann@example.org", "phone": None, "name": "Erika Mustermann",
        "language": "de", "notification_channel": "email", "consents": []}
    profile.give_consent(TENANT, subject, "email_status_updates")
    profile.give_consent(TENANT, subject, "appointment_reminders")
    profile.update_profile(TENANT, subject, {"preferred_language": "en",
                                             "notification_channel": "post"})
    contact = profile.contact_for_notification(TENANT, subject)
    assert (contact["language"], contact["notification_channel"]) == ("en", "post")
    assert contact["consents"] == ["email_status_updates", "appointment_reminders"]
    profile.withdraw_consent(TENANT, subject, "appointment_reminders")
    assert profile.contact_for_notification(TENANT, subject)["consents"] == [
        "email_status_updates"]
    # SMS as the channel: the contact carries the phone number as entered
    profile.update_profile(TENANT, subject, {"notification_channel": "sms",
                                             "phone": "0151 2345 6789"})
    contact = profile.contact_for_notification(TENANT, subject)
    assert (contact["notification_channel"], contact["phone"]) == ("sms", "0151 2345 6789")
    with pytest.raises(RemoteError) as caught:
        profile.update_profile(TENANT, subject, {"notification_channel": "fax"})
    assert caught.value.exc_type == "ValidationFailed"
    # reading it is no staff access, and another tenant knows nobody by this subject
    assert profile.access_log(TENANT, subject) == []
    assert profile.contact_for_notification("beispielstadt", subject) is None
    with pytest.raises(RemoteError) as caught:
        profile.contact_for_notification(TENANT, "staff:someone")
    assert caught.value.exc_type == "ValidationFailed"


def test_staff_contact_is_stored_encrypted_and_refreshed(profile, database):
    assert profile.staff_contact(TENANT, STAFF) is None
    assert profile.record_staff_contact(TENANT, STAFF, STAFF_CLAIMS) is None
    assert profile.staff_contact(TENANT, STAFF) == {
        "email": "s.weber@musterstadt.example", "name": "Sabine Weberknecht", "language": "en"}
    raw = database_text(database).lower()
    for plaintext in ("s.weber@musterstadt.example", "sabine", "weberknecht",
                      "provider-id-ignored"):
        assert plaintext not in raw, plaintext
    stored = database["staff_contacts"].find_one({"subject": STAFF})
    assert set(stored) == {"_id", "tenant", "subject", "signed_in_at", "contact"}
    # the next sign-in refreshes it; a language Loket does not speak falls back to German
    profile.record_staff_contact(TENANT, STAFF, {"email": "weber@musterstadt.example",
                                                 "preferred_language": "fr"})
    assert profile.staff_contact(TENANT, STAFF) == {
        "email": "weber@musterstadt.example", "name": None, "language": "de"}
    assert database["staff_contacts"].count_documents({}) == 1
    assert profile.staff_contact("beispielstadt", STAFF) is None  # tenant isolation


@pytest.mark.parametrize("subject, claims, field", [
    (new_subject(), STAFF_CLAIMS, "subject"),  # a resident's subject is not staff
    (STAFF, {"email": "not an address"}, "email"),
    (STAFF, {"given_name": "x" * 101}, "given_name"),
])
def test_bad_staff_contacts_are_refused_with_the_field(profile, subject, claims, field):
    with pytest.raises(RemoteError) as caught:
        profile.record_staff_contact(TENANT, subject, claims)
    assert caught.value.exc_type == "ValidationFailed"
    assert field in caught.value.value


def finished_events(connection):
    """A queue bound to profile's ``erasure_finished`` before anything is published."""
    queue = Queue("test-erasure-finished", exchange=event_exchange("profile"),
                  routing_key="erasure_finished")
    queue(connection.default_channel).declare()
    return queue


def test_erasure_finished_carries_the_contact_sealed_to_notifications(
        start_profile, service_config, database):
    start_profile(ERASURE_SERVICES="profile,notifications")
    subject = new_subject()
    with Connection(service_config["AMQP_URI"]) as connection, \
            ServiceRpcProxy("profile", service_config) as profile:
        queue = finished_events(connection)
        profile.sign_in(TENANT, subject, {**CLAIMS, "preferred_language": "en"})
        request = profile.request_erasure(TENANT, subject)
        # while it runs the contact is kept sealed: never in plain in the database
        wait_for(lambda: profile.erasure_status(TENANT, subject)["services"]["profile"][
            "state"] == "done")
        stored = database["erasure_requests"].find_one({"id": request["id"]})
        assert stored["sealed_contact"] and stored["sealed_subject"]
        raw = database_text(database)
        assert "erika.mustermann@example.org" not in raw and "Mustermann" not in raw
        publish(service_config, "notifications", "erasure_completed", {
            "request_id": request["id"], "service": "notifications", "deleted": 2,
            "anonymised": 0})
        message = wait_for(lambda: queue(connection.default_channel).get(no_ack=True))
    event = message.payload
    assert event["type"] == "erasure_finished" and event["tenant"] == TENANT
    assert set(event["data"]) == {"request_id", "subject", "sealed_contact"}
    assert (event["data"]["request_id"], event["data"]["subject"]) == (request["id"], subject)
    opened = json.loads(open_sealed(os.environ[NOTIFICATIONS_PRIVATE_KEY_VARIABLE],
                                    event["data"]["sealed_contact"]))
    assert opened == {"email": "erika.mustermann@example.org", "name": "Erika Mustermann",
                      "language": "en"}
    assert "erika" not in json.dumps(event).lower()
    # completed: the sealed parts are gone, and the published event left the outbox
    wait_for(lambda: database["outbox"].count_documents(
        {"message.type": "erasure_finished"}) == 0 and database["handled_events"].find_one(
        {"_id": {"$regex": "^forget_finished_erasure"}}))
    stored = database["erasure_requests"].find_one({"id": request["id"]})
    assert stored["state"] == "completed"
    assert "sealed_contact" not in stored and "sealed_subject" not in stored
    assert subject not in database_text(database)
    assert not database["key_vault"].find_one({"owner": f"erasure_request:{request['id']}"})


def test_a_person_without_email_is_erased_with_no_contact_to_tell(database):
    store = ProfileStore(database)
    store.ensure_indexes()
    subject = new_subject()
    store.profiles.sign_in(TENANT, subject, {**CLAIMS, "email": None})
    contact = store.profiles.notification_contact(TENANT, subject)
    assert contact["email"] is None and contact["notification_channel"] == "none"
    request = store.erasures.request(TENANT, subject, ["profile"], contact)
    assert database["erasure_requests"].find_one({"id": request["id"]})["sealed_contact"] is None


def test_notification_reads_are_not_published_in_plain(profile, database):
    subject = new_subject()
    profile.sign_in(TENANT, subject, CLAIMS)
    profile.contact_for_notification(TENANT, subject)
    profile.record_staff_contact(TENANT, STAFF, STAFF_CLAIMS)
    wait_for(lambda: database["outbox"].count_documents({"published_at": None}) == 0)
    outbox = json.dumps([entry["message"] for entry in database["outbox"].find()],
                        default=str).lower()
    for plaintext in ("erika", "mustermann", "weber", "sabine"):
        assert plaintext not in outbox
