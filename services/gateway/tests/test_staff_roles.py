"""Staff pages check the session's role before any service is called."""
import pytest

from loket_common.tokens import token_hash

COUNTER, ADMIN, CASES = "counter-token", "admin-token", "case-token"


@pytest.fixture
def staff_tokens(monkeypatch):
    monkeypatch.setenv("LOKET_STAFF_TOKENS", ",".join([
        "musterstadt:counter_staff:" + token_hash(COUNTER),
        "musterstadt:tenant_admin:" + token_hash(ADMIN),
        "musterstadt:case_worker:" + token_hash(CASES)]))


def signed_in(client, token):
    with client.session_transaction() as session:
        session.update(staff_token=token, staff_tenant="musterstadt")
    return client


@pytest.mark.parametrize("path", ["/en/admin/", "/en/admin/services/passport",
                                  "/en/admin/offices/rathaus/closures"])
def test_admin_pages_send_the_signed_out_to_sign_in(client, staff_tokens, path):
    response = client.get(path)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/en/staff/")


def test_counter_staff_may_not_open_admin_pages(client, staff_tokens, form_token):
    assert signed_in(client, COUNTER).get("/en/admin/").status_code == 403
    response = client.post("/en/admin/services/", data={"csrf_token": form_token})
    assert response.status_code == 403


@pytest.mark.parametrize(("token", "start"), [(COUNTER, "/en/staff/day-list"),
                                              (ADMIN, "/en/admin/"),
                                              (CASES, "/en/staff/cases/")])
def test_sign_in_leads_admins_to_the_catalogue_and_counter_staff_to_the_day_list(
        client, staff_tokens, form_token, token, start):
    response = client.post("/en/staff/", data={"token": token, "csrf_token": form_token})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(start)


def test_counter_staff_may_not_open_the_case_queue(client, staff_tokens):
    assert signed_in(client, COUNTER).get("/en/staff/cases/").status_code == 403


def test_case_workers_may_not_open_the_day_list(client, staff_tokens):
    assert signed_in(client, CASES).get("/en/staff/day-list").status_code == 403


@pytest.mark.parametrize("path", ["/en/permits/applications/",
                                  "/de/permits/residents-parking/apply"])
def test_permit_pages_send_the_signed_out_resident_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 303
    assert "/permits/sign-in" in response.headers["Location"]
