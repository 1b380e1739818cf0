"""What the existing pages show of messages, and the staff actions issue 13 adds to them.

The manage and application pages say whether the last email arrived (and still render when
the notifications service is down); a case lists the messages to the applicant, warns of a
bounced address and resends; the request for information has an "answer by" day; the
counter's day list cancels for the office with a reason.
"""
from unittest.mock import call

import pytest
from nameko.exceptions import UnknownService

from . import answers
from .conftest import sign_in

STAFF = "staff:" + "0" * 32
CASE_WORKER = {"subject": STAFF, "name": "Sam Staff", "role": "case_worker"}
MANAGE = "/de/appointments/bookings/ABCD-EFGH?token=secret"


@pytest.fixture
def booked(services):
    services.appointments.booking_details.return_value = answers.booking_details()
    return services


def test_the_manage_page_says_the_confirmation_was_delivered(client, booked):
    booked.notifications.last_message_about.return_value = answers.message_status()
    page = client.get(MANAGE)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Die E-Mail „Terminbestätigung“ wurde am Montag, 23. November 2026, 11:01" in html
    assert booked.mock_calls == [
        call.appointments.booking_details("musterstadt", "ABCD-EFGH", "secret"),
        call.notifications.last_message_about("musterstadt", "booking", "ABCD-EFGH")]


def test_the_manage_page_says_when_the_email_bounced(client, booked):
    booked.notifications.last_message_about.return_value = answers.message_status(
        state="bounced")
    html = client.get(MANAGE.replace("/de/", "/en/")).get_data(as_text=True)
    assert "could not be delivered: the address bounced" in html


@pytest.mark.parametrize("down", [UnknownService("notifications"), ConnectionResetError()])
def test_the_manage_page_renders_without_the_notifications_service(client, booked, caplog,
                                                                   down):
    booked.notifications.last_message_about.side_effect = down
    page = client.get(MANAGE)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "ABCD-EFGH" in html and "E-Mail hierzu" not in html
    assert "last_message_about failed" in caplog.text


def test_no_message_yet_shows_nothing_about_email(client, booked):
    booked.notifications.last_message_about.return_value = None
    assert "E-Mail hierzu" not in client.get(MANAGE).get_data(as_text=True)


def _applicant(client, services, **changes):
    applicant = {"subject": "r-1", "name": "Anna"}
    services.permits.get_application.return_value = answers.application(applicant, **changes)
    services.permits.get_permit_type.return_value = answers.permit_type()
    sign_in(client, "resident", tenant="musterstadt", subject="r-1", name="Anna")
    return client


def test_the_application_page_shows_the_last_message_and_the_answer_by_day(client, services):
    services.notifications.last_message_about.return_value = answers.message_status(
        kind="permit_information_requested", about={"kind": "application", "id": "a1"})
    asked = {"message": "Welches Auto?", "fields": ["licence_plate"],
             "answer_by": "2026-12-10"}
    page = _applicant(client, services, state="information_requested",
                      information_request=asked).get("/de/permits/applications/a1")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Bitte antworten Sie bis Donnerstag, 10. Dezember 2026." in html
    assert "„Nachfrage zu einem Antrag“ wurde am" in html
    assert call.notifications.last_message_about("musterstadt", "application",
                                                 "a1") in services.mock_calls


def test_the_application_page_renders_without_the_notifications_service(client, services):
    services.notifications.last_message_about.side_effect = UnknownService("notifications")
    page = _applicant(client, services).get("/en/permits/applications/a1")
    assert page.status_code == 200 and "BP-2026-0001" in page.get_data(as_text=True)


def _case_worker(client, services, sent=None):
    services.permits.get_case.return_value = answers.application(
        {"subject": "r-1", "name": "Anna"}, state="in_review")
    services.permits.get_permit_type.return_value = answers.permit_type()
    if sent is not None:
        services.notifications.messages_about.return_value = sent
    sign_in(client, "staff", tenant="musterstadt", subject=STAFF, name="Sam Staff",
            roles=["case_worker"])
    return client


def test_a_case_lists_the_messages_and_warns_of_a_bounced_address(client, services):
    page = _case_worker(client, services, answers.case_messages(bounced=True)).get(
        "/de/staff/cases/a1")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Nachrichten an die antragstellende Person" in html
    assert "Die E-Mail-Adresse der antragstellenden Person ist unzustellbar." in html
    assert "Antrag eingegangen" in html and "Nachfrage zu einem Antrag" in html
    # Only the bounced message (m2) can be sent again.
    assert "/de/staff/cases/a1/messages/m2/resend" in html
    assert "/messages/m1/resend" not in html
    assert call.notifications.messages_about("musterstadt", "application", "a1",
                                             CASE_WORKER) in services.mock_calls


def test_a_case_without_bounces_has_no_warning(client, services):
    html = _case_worker(client, services, answers.case_messages()).get(
        "/en/staff/cases/a1").get_data(as_text=True)
    assert "Messages to the applicant" in html
    assert "email address bounced" not in html and 'role="alert"' not in html


def test_a_case_renders_without_the_notifications_service(client, services):
    services.notifications.messages_about.side_effect = UnknownService("notifications")
    page = _case_worker(client, services).get("/en/staff/cases/a1")
    assert page.status_code == 200
    assert "The messages cannot be shown right now." in page.get_data(as_text=True)


def test_a_case_worker_resends_a_message(client, services, form_token):
    services.notifications.resend_message.return_value = answers.message_status(
        "m2", "queued")
    response = _case_worker(client, services).post(
        "/en/staff/cases/a1/messages/m2/resend", data={"csrf_token": form_token})
    assert response.status_code == 303
    assert response.headers["Location"] == "/en/staff/cases/a1"
    assert services.mock_calls == [call.notifications.resend_message(
        "musterstadt", "m2", {"subject": STAFF, "role": "case_worker"})]


def test_counter_staff_may_not_see_or_resend_case_messages(client, services, form_token):
    sign_in(client, "staff", tenant="musterstadt", subject=STAFF, name="Sam",
            roles=["counter_staff"])
    assert client.post("/en/staff/cases/a1/messages/m2/resend",
                       data={"csrf_token": form_token}).status_code == 403
    assert services.mock_calls == []


def test_the_request_for_information_has_an_answer_by_day(client, services, form_token):
    services.permits.transition_case.return_value = answers.application(
        {"subject": "r-1", "name": "Anna"}, state="information_requested")
    form = _case_worker(client, services, answers.case_messages()).get(
        "/en/staff/cases/a1").get_data(as_text=True)
    assert '<input type="date" id="answer_by" name="answer_by"' in form
    client.post("/en/staff/cases/a1/transitions", data={
        "csrf_token": form_token, "to": "information_requested", "message": "Which car?",
        "fields": "licence_plate", "answer_by": "2099-01-31"})
    client.post("/en/staff/cases/a1/transitions", data={
        "csrf_token": form_token, "to": "information_requested", "message": "Which car?",
        "answer_by": ""})
    sent = [item for item in services.mock_calls if item[0] == "permits.transition_case"]
    assert [item.kwargs["information_request"] for item in sent] == [
        {"message": "Which car?", "fields": ["licence_plate"], "answer_by": "2099-01-31"},
        {"message": "Which car?", "fields": []}]


@pytest.mark.parametrize("day", ["2020-01-01", "morgen", "2099-13-01"])
def test_an_answer_by_day_in_the_past_or_unreadable_is_refused(client, services, form_token,
                                                              day):
    _case_worker(client, services)
    response = client.post("/en/staff/cases/a1/transitions", data={
        "csrf_token": form_token, "to": "information_requested", "message": "Which car?",
        "answer_by": day})
    assert response.status_code == 303
    assert services.mock_calls == []
    page = client.get("/en/staff/cases/a1").get_data(as_text=True)
    assert "as a date from today on" in page


def _counter(client, services, roles=("counter_staff",)):
    services.appointments.list_offices.return_value = answers.offices()
    services.appointments.day_list.return_value = answers.day_list()
    sign_in(client, "staff", tenant="musterstadt", subject=STAFF, name="Sam Staff",
            roles=list(roles))
    return client


def test_the_day_list_offers_the_office_cancel_with_a_required_reason(client, services):
    html = _counter(client, services).get(
        "/de/staff/day-list?office=rathaus&date=2026-12-01").get_data(as_text=True)
    assert 'action="/de/staff/bookings/ABCD-EFGH/office-cancellation"' in html
    assert "Absagen (Amt)" in html and "Grund (die Person liest ihn)" in html
    assert 'name="reason" required' in html


@pytest.mark.parametrize("roles", [("counter_staff",), ("counter_staff", "case_worker",
                                                        "tenant_admin")])
def test_counter_staff_and_admins_cancel_for_the_office(client, services, form_token, roles):
    services.appointments.cancel_booking_by_office.return_value = answers.booking()
    response = _counter(client, services, roles).post(
        "/en/staff/bookings/ABCD-EFGH/office-cancellation", data={
            "csrf_token": form_token, "reason": "  The office is closed (burst pipe).  ",
            "office": "rathaus", "date": "2026-12-01", "counter": ""})
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/en/staff/day-list?office=rathaus")
    assert services.mock_calls == [call.appointments.cancel_booking_by_office(
        "musterstadt", "ABCD-EFGH",
        {"subject": STAFF, "name": "Sam Staff", "role": "counter_staff"},
        "The office is closed (burst pipe).")]


def test_an_office_cancel_without_a_reason_is_not_sent(client, services, form_token):
    _counter(client, services).post("/en/staff/bookings/ABCD-EFGH/office-cancellation",
                                    data={"csrf_token": form_token, "reason": "  "})
    assert services.mock_calls == []
    page = client.get("/en/staff/day-list?office=rathaus&date=2026-12-01")
    assert "Please give the reason for cancelling ABCD-EFGH" in page.get_data(as_text=True)


def test_case_workers_may_not_cancel_for_the_office(client, services, form_token):
    sign_in(client, "staff", tenant="musterstadt", subject=STAFF, name="Sam",
            roles=["case_worker"])
    assert client.post("/en/staff/bookings/ABCD-EFGH/office-cancellation", data={
        "csrf_token": form_token, "reason": "x"}).status_code == 403
    assert services.mock_calls == []


def _entry(services):
    services.appointments.lottery_entry.return_value = answers.entered()["entry"]
    services.appointments.list_offices.return_value = answers.offices()
    return services


def test_the_lottery_status_page_shows_the_last_message(client, services):
    _entry(services).notifications.last_message_about.return_value = answers.message_status(
        kind="lottery_entered", about={"kind": "lottery_entry", "id": "LOTT-ERY1"})
    page = client.get("/de/appointments/lottery/LOTT-ERY1?token=secret")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Die E-Mail „Teilnahme an der Verlosung eingegangen“ wurde am" in html
    assert call.notifications.last_message_about("musterstadt", "lottery_entry",
                                                 "LOTT-ERY1") in services.mock_calls


def test_the_lottery_status_page_renders_without_the_notifications_service(client, services):
    _entry(services).notifications.last_message_about.side_effect = ConnectionResetError()
    page = client.get("/en/appointments/lottery/LOTT-ERY1?token=secret")
    assert page.status_code == 200 and "LOTT-ERY1" in page.get_data(as_text=True)
