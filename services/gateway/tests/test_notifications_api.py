"""The notifications API: a resident's messages, a tenant admin's kinds, the operator's view.

Who may ask is checked before any RPC; the RPCs are the contract's (``NotificationsRpc``
fakes), their answers shaped by the contract's schemas.
"""
from contextlib import contextmanager
from types import SimpleNamespace
from unittest.mock import call

import pytest
from nameko.exceptions import UnknownService

from loket_common.errors import NotFound
from loket_gateway.core import health
from loket_gateway.identity.subjects import resident_subject, staff_subject

from . import answers
from .conftest import remote

API = "/api/v1/tenants/musterstadt"
OPERATOR_API = "/api/v1/operator/notifications"
ISSUER, KEY = "http://127.0.0.1:9", "test-pseudonym-key"  # conftest's provider and key


@pytest.fixture
def notifications(services):
    """The notifications service's fake, answering as the real one does."""
    fake = services.notifications
    fake.messages_for_subject.return_value = [answers.message()]
    fake.list_kinds.return_value = answers.kinds()
    fake.set_kind_enabled.return_value = {**answers.kinds()[1], "enabled": True}
    fake.message_counts.return_value = answers.counts()
    fake.failed_messages.return_value = answers.failed_page()
    fake.resend_message.return_value = answers.message_status("m7", "queued")
    return fake


def test_a_resident_reads_the_messages_sent_to_them(client, tokens, services, notifications):
    response = client.get(API + "/me/messages", headers=tokens.bearer(tokens.resident()))
    assert response.status_code == 200
    [listed] = response.get_json()
    assert listed["subject_line"] == "Ihr Termin am 1. Dezember"
    assert [step["state"] for step in listed["history"]] == ["queued", "delivered"]
    subject = resident_subject(KEY, "musterstadt", ISSUER, "demo-anna")
    assert services.mock_calls == [call.notifications.messages_for_subject("musterstadt",
                                                                           subject)]


@pytest.mark.parametrize(("headers", "status"), [
    ({}, 401), ("staff", 403), ("other_tenant", 403)])
def test_my_messages_need_a_residents_token_of_this_tenant(client, tokens, services, headers,
                                                           status):
    made = {"staff": lambda: tokens.bearer(tokens.staff("musterstadt:tenant_admin")),
            "other_tenant": lambda: tokens.bearer(tokens.resident(tenant="beispielstadt"))}
    response = client.get(API + "/me/messages",
                          headers=made[headers]() if isinstance(headers, str) else headers)
    assert response.status_code == status
    assert response.content_type == "application/problem+json"
    assert services.mock_calls == []


def test_a_tenant_admin_lists_and_switches_kinds(client, tokens, services, notifications):
    admin = tokens.bearer(tokens.staff("musterstadt:tenant_admin", sub="demo-admin"))
    listed = client.get(API + "/admin/notification-kinds", headers=admin)
    assert listed.status_code == 200
    assert [(kind["id"], kind["enabled"]) for kind in listed.get_json()] == [
        ("booking_confirmed", True), ("booking_reminder", False)]
    switched = client.put(API + "/admin/notification-kinds/booking_reminder", headers=admin,
                          json={"enabled": True})
    assert switched.status_code == 200 and switched.get_json()["enabled"] is True
    actor = {"subject": staff_subject(KEY, "musterstadt", ISSUER, "demo-admin"),
             "name": "Sam Staff", "role": "tenant_admin"}
    assert services.mock_calls == [
        call.notifications.list_kinds("musterstadt"),
        call.notifications.set_kind_enabled("musterstadt", "booking_reminder", True, actor)]


def test_kinds_are_for_tenant_admins_only(client, tokens, services):
    for roles in (["musterstadt:counter_staff"], ["musterstadt:case_worker"],
                  ["beispielstadt:tenant_admin"], ["*:operator"]):
        staff = tokens.bearer(tokens.staff(*roles))
        assert client.get(API + "/admin/notification-kinds",
                          headers=staff).status_code == 403, roles
        assert client.put(API + "/admin/notification-kinds/booking_reminder", headers=staff,
                          json={"enabled": False}).status_code == 403, roles
    assert client.get(API + "/admin/notification-kinds").status_code == 401
    assert services.mock_calls == []


def test_an_unknown_kind_or_a_bad_switch_is_refused_before_any_call(client, tokens, services):
    admin = tokens.bearer(tokens.staff("musterstadt:tenant_admin"))
    unknown = client.put(API + "/admin/notification-kinds/newsletter", headers=admin,
                         json={"enabled": False})
    assert unknown.status_code == 404 and unknown.get_json()["code"] == "not_found"
    bad = client.put(API + "/admin/notification-kinds/booking_reminder", headers=admin,
                     json={"enabled": "sometimes"})
    assert bad.status_code == 400 and bad.get_json()["code"] == "validation_failed"
    assert [item["name"] for item in bad.get_json()["invalid_params"]] == ["enabled"]
    assert services.mock_calls == []


def test_the_operator_counts_lists_failures_and_resends(client, tokens, services,
                                                        notifications):
    operator = tokens.bearer(tokens.staff("*:operator", sub="demo-operator"))
    counts = client.get(OPERATOR_API + "/counts", headers=operator)
    assert counts.status_code == 200 and counts.get_json()["counts"]["delivered"] == 12
    client.get(OPERATOR_API + "/counts?tenant=beispielstadt", headers=operator)
    page = client.get(OPERATOR_API + "/failures?limit=10&after=m3", headers=operator)
    assert page.status_code == 200
    assert page.get_json()["next"] == "m9"
    [failed] = page.get_json()["items"]
    assert failed["state"] == "permanent_failure" and "subject_line" not in failed
    resent = client.post(OPERATOR_API + "/musterstadt/m7/resend", headers=operator)
    assert resent.status_code == 200 and resent.get_json()["state"] == "queued"
    actor = {"subject": staff_subject(KEY, "musterstadt", ISSUER, "demo-operator"),
             "role": "operator"}
    assert services.mock_calls == [
        call.notifications.message_counts(None),
        call.notifications.message_counts("beispielstadt"),
        call.notifications.failed_messages(None, 10, "m3"),
        call.notifications.resend_message("musterstadt", "m7", actor)]


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/counts"), ("GET", "/failures"), ("POST", "/musterstadt/m7/resend")])
def test_the_operators_routes_refuse_everyone_else(client, tokens, services, method, path):
    admin = tokens.bearer(tokens.staff("musterstadt:tenant_admin"))
    resident = tokens.bearer(tokens.resident())
    assert client.open(OPERATOR_API + path, method=method).status_code == 401
    assert client.open(OPERATOR_API + path, method=method, headers=admin).status_code == 403
    assert client.open(OPERATOR_API + path, method=method,
                       headers=resident).status_code == 401
    assert services.mock_calls == []


def test_the_operator_asks_only_about_tenants_served_here(client, tokens, services):
    operator = tokens.bearer(tokens.staff("*:operator"))
    for path in ("/counts?tenant=nowhere", "/failures?tenant=nowhere"):
        response = client.get(OPERATOR_API + path, headers=operator)
        assert response.status_code == 404 and response.get_json()["code"] == "unknown_tenant"
    too_many = client.get(OPERATOR_API + "/failures?limit=1000", headers=operator)
    assert too_many.status_code == 400
    assert client.post(OPERATOR_API + "/nowhere/m7/resend",
                       headers=operator).status_code == 404
    assert services.mock_calls == []


def test_an_unknown_message_is_the_services_404(client, tokens, notifications):
    notifications.resend_message.side_effect = remote(NotFound("No such message."))
    operator = tokens.bearer(tokens.staff("*:operator"))
    response = client.post(OPERATOR_API + "/musterstadt/m404/resend", headers=operator)
    assert response.status_code == 404 and response.get_json()["code"] == "not_found"


def test_a_notifications_service_that_is_down_is_503_with_retry_after(client, tokens,
                                                                      notifications):
    notifications.messages_for_subject.side_effect = UnknownService("notifications")
    notifications.message_counts.side_effect = ConnectionResetError()
    mine = client.get(API + "/me/messages", headers=tokens.bearer(tokens.resident()))
    counted = client.get(OPERATOR_API + "/counts",
                         headers=tokens.bearer(tokens.staff("*:operator")))
    for response in (mine, counted):
        assert response.status_code == 503
        assert response.get_json()["code"] == "service_unavailable"
        assert response.headers["Retry-After"] == "5"


def test_health_lists_the_notifications_service(client):
    body = client.get("/health").get_json()
    assert body["services"]["notifications"] == {"service": "unavailable",
                                                 "database": "unknown"}


def test_the_document_describes_the_routes_with_the_contracts_schemas(client):
    spec = client.get("/openapi.json").get_json()
    mine = spec["paths"]["/api/v1/tenants/{tenant}/me/messages"]["get"]
    assert mine["responses"]["200"]["content"]["application/json"]["schema"]["items"] == {
        "$ref": "#/components/schemas/Message"}
    resend = spec["paths"]["/api/v1/operator/notifications/{tenant}/{message_id}/resend"]
    assert {"401", "403", "404", "503"} <= set(resend["post"]["responses"])
    assert "MessageStatus" in spec["components"]["schemas"]


class _Reply:
    def __init__(self, answer):
        self.answer = answer

    def result(self):
        return self.answer


class _Service:
    def __init__(self, running: bool):
        self.running = running

    @property
    def health(self):
        return self

    def call_async(self):
        if not self.running:  # what nameko's proxy raises at once for a service with no queue
            raise UnknownService("notifications")
        return _Reply({"service": "x", "database": "ok"})


class _Pool:
    @contextmanager
    def services(self):
        yield SimpleNamespace(**{name: _Service(name != "notifications")
                                 for name in health.SERVICES})


def test_a_service_not_running_is_reported_alone(app):
    states = health.services_state(_Pool())
    assert states["notifications"] == {"service": "unavailable", "database": "unknown"}
    assert all(states[name] == {"service": "ok", "database": "ok"}
               for name in ("appointments", "permits", "profile"))
