"""The notification pages: my messages, the tenant admin's kinds and previews, the operator's.

Also the staff sign-in: it tells profile how to reach the staff member, and gives the
platform operator a session that opens only the operator's pages.
"""
from unittest.mock import call

import pytest
from flask import g

from loket_gateway.core.security import with_preview_frames
from loket_gateway.identity import sign_in_pages
from loket_gateway.identity.providers import registry

from . import answers
from .conftest import sign_in, signed_in_as

STAFF = "staff:" + "0" * 32
ADMIN = ["counter_staff", "case_worker", "tenant_admin"]


def staff(client, roles, operator=False):
    sign_in(client, "staff", tenant="musterstadt", subject=STAFF, name="Sam Staff",
            roles=roles, operator=operator)
    return client


@pytest.fixture
def notifications(services):
    fake = services.notifications
    fake.messages_for_subject.return_value = [answers.message()]
    fake.list_kinds.return_value = answers.kinds()
    fake.set_kind_enabled.return_value = answers.kinds()[1]
    fake.preview_templates.return_value = answers.previews()
    fake.message_counts.return_value = answers.counts()
    fake.failed_messages.return_value = answers.failed_page()
    fake.resend_message.return_value = answers.message_status("m7", "queued")
    return fake


def test_a_resident_sees_their_messages_with_the_history_in_german(client, services,
                                                                   notifications):
    sign_in(client, "resident", tenant="musterstadt", subject="r-1", name="Anna")
    page = client.get("/de/me/messages")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Nachrichten an mich" in html and "Terminbestätigung" in html
    assert "Ihr Termin am 1. Dezember" in html and "zugestellt" in html
    assert services.mock_calls == [call.notifications.messages_for_subject("musterstadt",
                                                                           "r-1")]


def test_my_messages_need_a_sign_in(client, services):
    response = client.get("/en/me/messages")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/en/sign-in?next=")
    assert services.mock_calls == []


def test_the_overview_links_to_my_messages(client, services):
    services.profile.get_profile.return_value = answers.profile("r-1")
    services.appointments.list_own_bookings.return_value = []
    sign_in(client, "resident", tenant="musterstadt", subject="r-1", name="Anna")
    assert 'href="/en/me/messages"' in client.get("/en/me/").get_data(as_text=True)


def test_a_tenant_admin_switches_a_kind_with_the_forms_token(client, services, notifications,
                                                             form_token):
    page = staff(client, ADMIN).get("/de/admin/notifications")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Terminerinnerung" in html and "Einschalten" in html and "Ausschalten" in html
    assert 'name="csrf_token"' in html
    assert client.post("/en/admin/notifications/booking_reminder",
                       data={"enabled": "true"}).status_code == 400  # no token
    done = client.post("/en/admin/notifications/booking_reminder",
                       data={"csrf_token": form_token, "enabled": "true"})
    assert done.status_code == 303 and done.headers["Location"] == "/en/admin/notifications"
    assert notifications.set_kind_enabled.call_args == call(
        "musterstadt", "booking_reminder", True,
        {"subject": STAFF, "name": "Sam Staff", "role": "tenant_admin"})
    assert client.post("/en/admin/notifications/newsletter",
                       data={"csrf_token": form_token}).status_code == 404


@pytest.mark.parametrize("path", ["/en/admin/notifications", "/en/admin/notifications/preview"])
def test_the_admin_pages_are_for_tenant_admins(client, services, path):
    assert client.get(path).status_code == 303
    for roles in (["counter_staff"], ["case_worker"]):
        assert staff(client, roles).get(path).status_code == 403
    assert staff(client, [], operator=True).get(path).status_code == 403
    assert services.mock_calls == []


def test_the_preview_shows_each_template_in_a_sandboxed_frame(client, notifications):
    page = staff(client, ADMIN).get("/en/admin/notifications/preview")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Ihr Termin ist gebucht" in html and "Your appointment is booked" in html
    assert "<pre>Ihr Termin ist gebucht\n\nMusterstadt</pre>" in html
    assert "termin.ics" in html
    # The HTML part only inside the frame's attribute, escaped: nothing of it runs here.
    assert '<iframe sandbox srcdoc="&lt;html lang=&#34;de&#34;&gt;' in html
    assert "&lt;p&gt;Muster &amp; &#34;Stadt&#34;&lt;/p&gt;" in html
    assert '<h1 style="color:#000">' not in html
    policy = page.headers["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy and "frame-src 'self'" in policy
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    other = client.get("/en/admin/notifications").headers["Content-Security-Policy"]
    assert with_preview_frames(other) == policy  # the same policy, only the frames added
    assert "unsafe-inline" not in other and "frame-src" not in other


def test_the_operator_sees_counts_and_failures_and_resends(client, services, notifications,
                                                           form_token):
    page = staff(client, [], operator=True).get("/de/operator/notifications")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Nachrichten pro Zustand" in html and "<td>12</td>" in html
    assert "konnte nicht zugestellt werden" in html and "timeout" in html
    assert "Erneut senden" in html
    assert 'href="/de/operator/notifications?after=m9"' in html
    done = client.post("/en/operator/notifications/musterstadt/m7/resend",
                       data={"csrf_token": form_token, "filter": "musterstadt"})
    assert done.status_code == 303
    assert done.headers["Location"] == "/en/operator/notifications?tenant=musterstadt"
    client.get("/en/operator/notifications?tenant=beispielstadt&after=m9")
    assert services.mock_calls == [
        call.notifications.message_counts(None),
        call.notifications.failed_messages(None, 25, None),
        call.notifications.resend_message("musterstadt", "m7",
                                          {"subject": STAFF, "role": "operator"}),
        call.notifications.message_counts("beispielstadt"),
        call.notifications.failed_messages("beispielstadt", 25, "m9")]


def test_the_operators_page_refuses_other_staff_and_the_signed_out(client, services,
                                                                   form_token):
    assert client.get("/en/operator/notifications").status_code == 303
    assert staff(client, ADMIN).get("/en/operator/notifications").status_code == 403
    assert client.post("/en/operator/notifications/musterstadt/m7/resend",
                       data={"csrf_token": form_token}).status_code == 403
    assert services.mock_calls == []


def test_an_operator_session_opens_only_the_operators_pages(client, services):
    staff(client, [], operator=True)
    start = client.get("/en/staff/")
    assert start.status_code == 303
    assert start.headers["Location"] == "/en/operator/notifications"
    for path in ("/en/staff/cases/", "/en/staff/day-list", "/en/admin/"):
        assert client.get(path).status_code == 403, path
    assert services.mock_calls == []


def _staff_callback(app, claims):
    """What the sign-in callback does for a staff member with ``claims``."""
    with app.test_request_context("/auth/callback"):
        g.tenant, g.lang = app.extensions["loket_tenants"].get("musterstadt"), "en"
        provider = registry(app).for_tenant("musterstadt", "staff")[0]
        response = sign_in_pages._staff_signed_in(
            provider, {"sub": "demo-case", **claims}, {"next": "/en/staff/cases/"})
        return response, signed_in_as(app.test_client(), "staff")


CLAIMS = {"email": "case@example.org", "given_name": "Carla", "family_name": "Case",
          "loket_roles": ["musterstadt:case_worker"]}


def test_staff_sign_in_records_how_to_reach_the_staff_member(app, services):
    response, _ = _staff_callback(app, CLAIMS)
    assert response.status_code == 303 and response.location == "/en/staff/cases/"
    [recorded] = services.mock_calls
    tenant, subject, contact = recorded.args
    assert (tenant, contact) == ("musterstadt", {
        "email": "case@example.org", "given_name": "Carla", "family_name": "Case",
        "preferred_language": None})
    assert recorded == call.profile.record_staff_contact(tenant, subject, contact)
    assert subject.startswith("staff:")


def test_a_profile_service_that_is_down_does_not_stop_the_sign_in(app, services, caplog):
    services.profile.record_staff_contact.side_effect = ConnectionResetError()
    response, _ = _staff_callback(app, CLAIMS)
    assert response.status_code == 303 and response.location == "/en/staff/cases/"
    assert "record_staff_contact failed: ConnectionResetError" in caplog.text
    assert "case@example.org" not in caplog.text


def test_the_operator_signs_in_to_the_operators_page(app, services):
    response, _ = _staff_callback(app, {"loket_roles": ["*:operator"]})
    assert response.status_code == 303
    assert response.location == "/en/operator/notifications"
    assert services.mock_calls == []  # the operator is no staff member to be reached


def test_staff_without_a_role_still_get_403(app, services):
    response, _ = _staff_callback(app, {"loket_roles": ["beispielstadt:case_worker"]})
    assert response[1] == 403
