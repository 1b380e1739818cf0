"""Staff pages check the session's role (per tenant) before any service is called."""
import pytest

from .conftest import sign_in, signed_in_as

COUNTER, ADMIN, CASES = ["counter_staff"], ["counter_staff", "case_worker", "tenant_admin"], [
    "case_worker"]


def signed_in(client, roles, tenant="musterstadt"):
    sign_in(client, "staff", tenant=tenant, subject="staff:" + "0" * 32, name="Sam Staff",
            roles=roles)
    return client


@pytest.mark.parametrize("path", ["/en/admin/", "/en/admin/services/passport",
                                  "/en/admin/offices/rathaus/closures",
                                  "/en/admin/staff-sessions"])
def test_admin_pages_send_the_signed_out_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/en/staff/?next={path}"


def test_counter_staff_may_not_open_admin_pages(client, form_token):
    assert signed_in(client, COUNTER).get("/en/admin/").status_code == 403
    assert client.post("/en/admin/services/", data={"csrf_token": form_token}).status_code == 403
    assert client.get("/en/admin/staff-sessions").status_code == 403
    assert client.post("/en/admin/staff-sessions/end", data={
        "csrf_token": form_token, "subject": "staff:" + "0" * 32}).status_code == 403


def test_staff_of_another_tenant_may_open_nothing_here(client):
    # beispielstadt's admin session on musterstadt's host: signed out here
    response = signed_in(client, ADMIN, tenant="beispielstadt").get("/en/admin/")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/en/staff/")


def test_staff_without_a_role_here_get_403(client):
    assert signed_in(client, []).get("/en/staff/cases/").status_code == 403


def test_admin_posts_need_the_session_csrf_token(client):
    response = signed_in(client, ADMIN).post("/en/admin/services/",
                                             data={"csrf_token": "wrong"})
    assert response.status_code == 400


@pytest.mark.parametrize(("roles", "start"), [(COUNTER, "/en/staff/day-list"),
                                              (ADMIN, "/en/admin/"),
                                              (CASES, "/en/staff/cases/")])
def test_signed_in_staff_start_admins_at_the_catalogue_and_counter_staff_at_the_day_list(
        client, roles, start):
    response = signed_in(client, roles).get("/en/staff/")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(start)


def test_counter_staff_may_not_open_the_case_queue(client):
    assert signed_in(client, COUNTER).get("/en/staff/cases/").status_code == 403


def test_case_workers_may_not_open_the_day_list(client):
    assert signed_in(client, CASES).get("/en/staff/day-list").status_code == 403


def test_case_decisions_need_the_session_csrf_token(client):
    response = signed_in(client, CASES).post("/en/staff/cases/x/transitions",
                                             data={"csrf_token": "wrong", "to": "approved"})
    assert response.status_code == 400


def test_staff_sign_out_needs_the_csrf_token_and_keeps_a_resident_session(client, form_token):
    signed_in(client, COUNTER)
    sign_in(client, "resident", tenant="musterstadt", subject="r-1")
    assert client.post("/en/staff/sign-out", data={"csrf_token": "wrong"}).status_code == 400
    assert client.post("/en/staff/sign-out", data={"csrf_token": form_token}).status_code == 303
    assert signed_in_as(client, "staff") is None
    assert signed_in_as(client, "resident")["subject"] == "r-1"


@pytest.mark.parametrize("path", ["/en/permits/applications/",
                                  "/de/permits/residents-parking/apply"])
def test_permit_pages_send_the_signed_out_resident_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 303
    assert response.headers["Location"].startswith(f"/{path[1:3]}/sign-in?next=")
