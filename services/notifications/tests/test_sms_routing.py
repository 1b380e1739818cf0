# SPDX-License-Identifier: EUPL-1.2
"""SMS as a resident's channel: the permit kinds reach the profile's phone through a real
HTTP SMS provider; without a phone, without a provider, and bookings staying email."""
import uuid

import pytest

from loket_common.testing import wait_for
from loket_notifications.service import NotificationsService

from .delivery.servers import SmsEndpoint
from .helpers import EMAIL, application, booking, contact, new_subject, publish, sealed

pytestmark = pytest.mark.integration


@pytest.fixture
def provider():
    """A real HTTP SMS provider (http.server in a thread) taking the documented JSON."""
    endpoint = SmsEndpoint()
    yield endpoint
    endpoint.close()


def by_sms(phone="0151 2345 6789", email=EMAIL, language="en"):
    return {**contact(email=email, channel="sms"), "phone": phone, "language": language}


def submitted(service_config, owners, answer, language="en"):
    """A submitted application whose applicant's profile answers ``answer``; its id."""
    subject, application_id = new_subject(), str(uuid.uuid4())
    owners.applications[application_id] = {
        **application(application_id, subject), "applicant": {"subject": subject,
                                                              "language": language}}
    owners.contacts[subject] = answer
    publish(service_config, "permits", "permit_submitted",
            {"application_id": application_id, "subject": subject})
    return application_id


def ended(database, application_id, *states):
    return wait_for(lambda: database["messages"].find_one(
        {"about.id": application_id, "state": {"$in": list(states)}}), timeout=20)


@pytest.mark.parametrize(("language", "words"), [
    ("de", "Ihr Antrag „Sondernutzung“ ist eingegangen (Aktenzeichen AZ-2026-0042)"),
    ("en", "we have received your application \"Special use\" (ref. AZ-2026-0042)")])
def test_a_permit_message_goes_by_sms_to_the_e164_phone(
        container_factory, service_config, owners, database, provider, language, words):
    container_factory(NotificationsService, {
        **service_config, "NOTIFICATIONS_POLL_SECONDS": 0.2,
        "NOTIFICATIONS_SMS_URL": provider.url}).start()  # the real channels and templates
    application_id = submitted(service_config, owners, by_sms(language=language), language)
    message = ended(database, application_id, "accepted", "not_sent", "permanent_failure")
    assert (message["state"], message["channel"]) == ("accepted", "sms"), message["last_detail"]
    assert message["last_detail"] == "http 202"
    [request] = provider.requests
    sms = request["json"]
    assert sms["to"] == "+4915123456789" and sms["reference"] == message["id"]
    assert words in sms["text"]
    assert sms["text"].endswith(
        f"https://termine.musterstadt.example/{language}/permits/applications/{application_id}")
    assert "\n" not in sms["text"] and len(sms["text"]) < 320
    # nothing of it in the database in plain
    assert "+4915123456789" not in str(message) and words not in str(message)


@pytest.mark.parametrize(("answer", "detail"), [
    (by_sms(phone=None), "no_phone"), (by_sms(phone="  "), "no_phone"),
    (by_sms(phone="123 456"), "invalid_phone")])
def test_sms_chosen_without_a_usable_phone_is_not_sent(
        start_notifications, service_config, owners, database, channel, provider, answer,
        detail):
    start_notifications(NOTIFICATIONS_SMS_URL=provider.url)
    message = ended(database, submitted(service_config, owners, answer), "not_sent")
    assert message["last_detail"] == detail and channel.sent == []


def test_without_a_provider_sms_falls_back_to_email_else_is_not_sent(
        start_notifications, service_config, owners, database, channel):
    start_notifications()  # no NOTIFICATIONS_SMS_URL
    message = ended(database, submitted(service_config, owners, by_sms()), "accepted")
    assert message["channel"] == "email"
    assert [(sent.channel, sent.recipient) for sent in channel.sent] == [("email", EMAIL)]
    message = ended(database, submitted(service_config, owners, by_sms(email=None)),
                    "not_sent")
    assert message["last_detail"] == "no_sms_provider" and len(channel.sent) == 1


def test_bookings_stay_email_for_a_resident_who_chose_sms(
        start_notifications, service_config, owners, database, channel, provider):
    start_notifications(NOTIFICATIONS_SMS_URL=provider.url)
    subject = new_subject()
    owners.contacts[subject] = by_sms()
    owners.bookings["B-S1"] = booking("B-S1", subject)
    publish(service_config, "appointments", "appointment_booked", {
        "reference": "B-S1", "service_id": "s-1", "office_id": "o-1", "counter_id": "c-1",
        "start": "2026-12-10T08:00:00+00:00", "end": "2026-12-10T08:15:00+00:00",
        "language": "de", "subject": subject, "sealed_manage_token": sealed("t-B-S1")})
    booked = ended(database, "B-S1", "accepted", "not_sent")
    permit = ended(database, submitted(service_config, owners, by_sms()), "accepted")
    assert (booked["channel"], permit["channel"]) == ("email", "sms")
    assert sorted((sent.channel, sent.recipient, sent.text, sent.html)
                  for sent in channel.sent)[1] == (
        "sms", "+4915123456789", "sms permit_submitted en", None)
    assert sorted((sent.channel, sent.recipient) for sent in channel.sent) == [
        ("email", EMAIL), ("sms", "+4915123456789")]


def test_a_provider_that_fails_first_gets_the_kept_sms_again(
        container_factory, service_config, owners, database, provider):
    provider.status = 503
    container_factory(NotificationsService, {
        **service_config, "NOTIFICATIONS_POLL_SECONDS": 0.2,
        "NOTIFICATIONS_RETRY_FIRST_SECONDS": 0.3, "NOTIFICATIONS_SMS_URL": provider.url}).start()
    application_id = submitted(service_config, owners, by_sms())
    failed = ended(database, application_id, "temporary_failure")
    assert (failed["channel"], failed["last_detail"]) == ("sms", "http 503")
    provider.status = 202
    sent = ended(database, application_id, "accepted")
    assert [step["state"] for step in sent["history"]][:3] == ["queued", "sending",
                                                               "temporary_failure"]
    first, *_, last = provider.requests
    assert last["json"] == {**first["json"]} and last["json"]["to"] == "+4915123456789"
