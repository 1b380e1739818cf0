"""Page sessions kept on the server: what the cookie and the database hold, and ending them.

Against the test run's SecantusDB (the ``app`` fixture's own database), never a mock.
"""
import hashlib

from loket_gateway.app import create_app

from .conftest import sign_in, signed_in_as
from .conftest import test_settings as settings_for_tests

ADMIN = ["tenant_admin"]


def cookie_of(client) -> str:
    return client.get_cookie("loket").value


def test_the_cookie_is_a_random_id_and_the_database_holds_only_its_hash(app, client):
    sign_in(client, "resident", tenant="musterstadt", subject="r-" + "1" * 32,
            name="Anna Schmidt", trust_level="substantial")
    value = cookie_of(client)
    assert len(value) == 43 and "Anna" not in value
    store = app.session_interface.store
    assert store.find_one({"id": value}) is None
    stored = store.find_one({"id": hashlib.sha256(value.encode()).hexdigest()})
    assert stored is not None and b"Anna" not in stored["val"]  # only the record's handle
    assert signed_in_as(client, "resident")["name"] == "Anna Schmidt"


def test_sign_out_deletes_the_record_and_renews_the_id(client, form_token):
    sign_in(client, "staff", tenant="musterstadt", subject="staff:" + "2" * 32,
            roles=["case_worker"])
    record = sign_in(client, "resident", tenant="musterstadt", subject="r-" + "1" * 32)
    before = cookie_of(client)
    assert client.post("/en/sign-out", data={"csrf_token": form_token}).status_code == 303
    records = client.application.extensions["loket_signed_in"]
    assert records.find_one({"_id": record["_id"]}) is None
    assert cookie_of(client) != before
    assert signed_in_as(client, "staff") is not None  # the other kind stays


def test_an_admin_ends_only_staff_sessions_of_their_own_tenant(app, client, form_token):
    sign_in(client, "staff", tenant="musterstadt", subject="staff:" + "a" * 32, name="Erika",
            roles=ADMIN)
    other = app.test_client()
    elsewhere = sign_in(other, "staff", tenant="beispielstadt", subject="staff:" + "b" * 32,
                        name="Felix", roles=ADMIN)
    clerk = app.test_client()
    sign_in(clerk, "staff", tenant="musterstadt", subject="staff:" + "c" * 32, name="Clara",
            roles=["counter_staff"])
    page = client.get("/en/admin/staff-sessions")
    assert page.status_code == 200 and b"Clara" in page.data and b"Felix" not in page.data
    for subject in ("staff:" + "b" * 32, "staff:" + "c" * 32):
        answer = client.post("/en/admin/staff-sessions/end",
                             data={"csrf_token": form_token, "subject": subject})
        assert answer.status_code == 303
    assert signed_in_as(clerk, "staff") is None
    assert signed_in_as(other, "staff")["_id"] == elsewhere["_id"]  # another tenant's: kept
    assert signed_in_as(client, "staff") is not None


def test_the_resident_ends_every_browser_but_not_a_staff_session(app, client, form_token):
    subject = "r-" + "1" * 32
    sign_in(client, "resident", tenant="musterstadt", subject=subject)
    phone = app.test_client()
    sign_in(phone, "resident", tenant="musterstadt", subject=subject)
    sign_in(phone, "staff", tenant="musterstadt", subject="staff:" + "2" * 32,
            roles=["case_worker"])
    answer = client.post("/en/sign-out-everywhere", data={"csrf_token": form_token})
    assert answer.status_code == 303
    assert signed_in_as(client, "resident") is None and signed_in_as(phone, "resident") is None
    assert signed_in_as(phone, "staff") is not None


def test_a_session_database_that_does_not_answer_is_a_503_with_retry_after(tokens):
    app = create_app(settings_for_tests(mongo_uri="mongodb://127.0.0.1:1/?retryWrites=false"))
    client = app.test_client()
    client.set_cookie("loket", "x" * 43)
    page = client.get("/en/me/")
    assert page.status_code == 503 and page.headers["Retry-After"] == "5"
    assert b"<html" in page.data and b"unavailable" in page.data
    api = client.get("/api/v1/tenants/musterstadt/me",
                     headers=tokens.bearer(tokens.resident()))
    assert api.status_code == 503 and api.headers["Retry-After"] == "5"
    assert api.get_json()["code"] == "service_unavailable"
    assert app.test_client().get("/livez").status_code == 200  # no cookie: no database needed

