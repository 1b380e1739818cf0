"""Every web form POST needs the session's CSRF token; the bearer-token API does not."""
import io
import re
from pathlib import Path

import pytest
from flask_wtf.csrf import generate_csrf
from itsdangerous.timed import TimestampSigner

from loket_common.tokens import token_hash
from loket_gateway.csrf import TOKEN_SECONDS

ADMIN, RESIDENT = "admin-token", "resident-token"
SLOT = "rathaus|2030-01-07T08:00:00Z"
TEMPLATES = Path(__file__).parents[1] / "loket_gateway" / "templates"

# One POST of each kind of form: (what, path, form fields besides the token).
FORMS = [
    ("booking: hold a time", "/en/appointments/passport/", {"slot": SLOT}),
    ("booking: contact", "/en/appointments/holds/h1", {"name": "Erika", "email": "e@example.org"}),
    ("booking: let go", "/en/appointments/holds/h1/release", {}),
    ("manage: cancel", "/en/appointments/bookings/R1/cancel", {"token": "t", "confirm": "yes"}),
    ("manage: move", "/en/appointments/bookings/R1/reschedule",
     {"token": "t", "slot": SLOT}),
    ("lottery entry", "/en/appointments/passport/lottery", {"name": "Erika", "email": "e@x.org"}),
    ("staff: sign in", "/en/staff/", {"token": ADMIN}),
    ("staff: check in", "/en/staff/bookings/R1/check-in", {}),
    ("staff: sign out", "/en/staff/sign-out", {}),
    ("admin: new service", "/en/admin/services/", {"id": "new"}),
    ("admin: closure", "/en/admin/offices/rathaus/closures", {"date": "2030-01-07"}),
    ("permit: sign in", "/en/permits/sign-in", {"token": RESIDENT}),
    ("permit: apply", "/en/permits/residents-parking/apply", {"action": "submit"}),
    ("permit: withdraw", "/en/permits/applications/a1/withdrawal", {"confirm": "yes"}),
    ("case: decide", "/en/staff/cases/x/transitions", {"to": "approved"}),
]
FORM_IDS = [what for what, _, _ in FORMS]


@pytest.fixture(autouse=True)
def staff_tokens(monkeypatch):
    monkeypatch.setenv("LOKET_STAFF_TOKENS", "musterstadt:tenant_admin:" + token_hash(ADMIN))


@pytest.fixture
def signed_in(client, form_token):
    """A session signed in as the tenant admin and as a resident, with its token."""
    with client.session_transaction() as session:
        session.update(staff_token=ADMIN, staff_tenant="musterstadt",
                       profile_token=RESIDENT, profile_tenant="musterstadt")
    return client


@pytest.fixture
def other_sessions_token(app):
    """A valid token, but of another visitor's session."""
    with app.test_request_context():
        return generate_csrf()


def refused_as_expired_form(response) -> bool:
    page = response.get_data(as_text=True)
    return (response.status_code == 400 and response.mimetype == "text/html"
            and "The form has expired" in page and "Traceback" not in page)


@pytest.mark.parametrize(("what", "path", "fields"), FORMS, ids=FORM_IDS)
def test_a_form_without_the_token_is_refused(signed_in, what, path, fields):
    assert refused_as_expired_form(signed_in.post(path, data=fields))


@pytest.mark.parametrize(("what", "path", "fields"), FORMS, ids=FORM_IDS)
def test_a_form_with_a_forged_token_is_refused(signed_in, form_token, what, path, fields):
    assert refused_as_expired_form(signed_in.post(path, data={**fields,
                                                              "csrf_token": form_token[:-4]}))
    assert refused_as_expired_form(signed_in.post(path, data={**fields,
                                                              "csrf_token": "not-a-token"}))


@pytest.mark.parametrize(("what", "path", "fields"), FORMS, ids=FORM_IDS)
def test_a_token_of_another_session_is_refused(signed_in, other_sessions_token, what, path,
                                               fields):
    response = signed_in.post(path, data={**fields, "csrf_token": other_sessions_token})
    assert refused_as_expired_form(response)


@pytest.mark.parametrize(("what", "path", "fields"), FORMS, ids=FORM_IDS)
def test_with_the_token_the_form_reaches_its_view(client, form_token, what, path, fields):
    with client.session_transaction() as session:  # the token stays: sign-in adds to it
        session.update(staff_token=ADMIN, staff_tenant="musterstadt",
                       profile_token=RESIDENT, profile_tenant="musterstadt")
    response = client.post(path, data={**fields, "csrf_token": form_token})
    # Past the check each view answers for itself (no services run here: mostly 503).
    assert not refused_as_expired_form(response)
    assert response.status_code != 400


def test_a_multipart_upload_without_the_token_is_refused(signed_in):
    response = signed_in.post("/en/permits/applications/a1/attachments",
                              content_type="multipart/form-data",
                              data={"document_id": "plan",
                                    "file": (io.BytesIO(b"%PDF-1.4"), "plan.pdf")})
    assert refused_as_expired_form(response)


def test_the_sign_in_form_carries_a_token_that_works(client):
    page = client.get("/en/staff/").get_data(as_text=True)
    token = re.search(r'<input type="hidden" name="csrf_token" value="([^"]+)">', page).group(1)
    response = client.post("/en/staff/", data={"token": ADMIN, "csrf_token": token})
    assert response.status_code == 303


def test_https_forms_need_no_referer(client, form_token):
    """Our pages send ``Referrer-Policy: no-referrer``: browsers send no Referer to check."""
    response = client.post("/en/staff/", base_url="https://localhost",
                           data={"token": ADMIN, "csrf_token": form_token})
    assert response.status_code == 303


def test_a_too_large_upload_is_413_not_a_refused_token(app, signed_in, form_token):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = signed_in.post("/en/permits/applications/a1/attachments",
                              content_type="multipart/form-data",
                              data={"csrf_token": form_token, "document_id": "plan",
                                    "file": (io.BytesIO(b"%PDF-1.4" + b"x" * 2000), "plan.pdf")})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_the_refusal_is_explained_in_the_pages_language(client):
    response = client.post("/de/staff/", data={"token": ADMIN})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert '<html lang="de"' in page
    assert "Das Formular ist abgelaufen" in page
    assert "laden Sie die Seite neu" in page


@pytest.mark.parametrize(("age", "accepted"), [(TOKEN_SECONDS - 300, True),
                                               (TOKEN_SECONDS + 60, False)])
def test_a_token_lasts_two_hours(client, form_token, monkeypatch, age, accepted):
    now = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: now(self) + age)
    response = client.post("/en/staff/", data={"token": ADMIN, "csrf_token": form_token})
    assert (response.status_code == 303) is accepted
    assert refused_as_expired_form(response) is not accepted


def test_sign_in_starts_a_new_token(client, form_token):
    """Sign-in starts a new session: a token from before it is no longer accepted."""
    assert client.post("/en/staff/", data={"token": ADMIN, "csrf_token": form_token}
                       ).status_code == 303
    assert refused_as_expired_form(client.post("/en/staff/sign-out",
                                               data={"csrf_token": form_token}))


@pytest.mark.parametrize("headers", [{}, {"Cookie": "session=whatever"}])
def test_the_api_needs_no_form_token(client, headers):
    response = client.post("/api/v1/tenants/musterstadt/holds", headers=headers,
                           json={"service_id": "passport"})
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["code"] != "bad_request"
    assert "csrf" not in response.get_data(as_text=True).lower()


def post_forms(template: str) -> list[str]:
    """Each form of a template that posts, up to its ``</form>``."""
    return re.findall(r"<form\b[^>]*\bmethod=[\"']?post\b.*?</form>", template,
                      flags=re.DOTALL | re.IGNORECASE)


@pytest.mark.parametrize("path", sorted(TEMPLATES.glob("*.html")), ids=lambda path: path.name)
def test_every_post_form_carries_the_token_through_the_macro(path):
    for form in post_forms(path.read_text()):
        assert form.count("{{ csrf_field() }}") == 1, form[:120]
