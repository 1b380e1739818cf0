"""Every web form POST needs the session's CSRF token; the bearer-token API does not."""
import io
import re
from pathlib import Path

import pytest
from flask import render_template_string, session
from flask_wtf.csrf import generate_csrf, validate_csrf
from itsdangerous.timed import TimestampSigner
from wtforms.validators import ValidationError

from loket_gateway.core.csrf import TOKEN_SECONDS
from loket_gateway.identity import sessions

from .conftest import sign_in

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
    ("staff: check in", "/en/staff/bookings/R1/check-in", {}),
    ("staff: sign out", "/en/staff/sign-out", {}),
    ("admin: new service", "/en/admin/services/", {"id": "new"}),
    ("admin: closure", "/en/admin/offices/rathaus/closures", {"date": "2030-01-07"}),
    ("resident: sign out", "/en/sign-out", {}),
    ("my data: profile", "/en/me/profile", {"given_name": "Anna"}),
    ("my data: business", "/en/me/businesses", {"company_name": "Schmidt GmbH"}),
    ("my data: consent", "/en/me/consents/appointment_reminders", {"action": "give"}),
    ("my data: erasure", "/en/me/data/erase", {"confirm": "yes"}),
    ("permit: apply", "/en/permits/residents-parking/apply", {"action": "submit"}),
    ("permit: withdraw", "/en/permits/applications/a1/withdrawal", {"confirm": "yes"}),
    ("case: decide", "/en/staff/cases/x/transitions", {"to": "approved"}),
]
FORM_IDS = [what for what, _, _ in FORMS]


def sign_in_both(client) -> None:
    """Sign ``client``'s session in as musterstadt's tenant admin and as a resident."""
    sign_in(client, "staff", tenant="musterstadt", subject="staff:" + "0" * 32, name="Sam",
            roles=["counter_staff", "case_worker", "tenant_admin"])
    sign_in(client, "resident", tenant="musterstadt", subject="r-" + "1" * 32, name="Anna",
            trust_level="substantial")


@pytest.fixture
def signed_in(client, form_token):
    """A session signed in as the tenant admin and as a resident, with its token."""
    sign_in_both(client)
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
    sign_in_both(client)  # the token stays
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


def test_the_rendered_field_carries_a_token_that_works(app, client):
    sign_in_both(client)
    with app.test_request_context():
        field = render_template_string(
            '{% from "_macros.html" import csrf_field %}{{ csrf_field() }}')
        secret = session["csrf_token"]
    with client.session_transaction() as client_session:
        client_session["csrf_token"] = secret
    token = re.search(r'<input type="hidden" name="csrf_token" value="([^"]+)">', field).group(1)
    assert client.post("/en/staff/sign-out", data={"csrf_token": token}).status_code == 303


def test_https_forms_need_no_referer(client, form_token):
    """Our pages send ``Referrer-Policy: no-referrer``: browsers send no Referer to check."""
    sign_in_both(client)
    response = client.post("/en/staff/sign-out", base_url="https://localhost",
                           data={"csrf_token": form_token})
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
    response = client.post("/de/sign-out")
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
    sign_in_both(client)
    response = client.post("/en/staff/sign-out", data={"csrf_token": form_token})
    assert (response.status_code == 303) is accepted
    assert refused_as_expired_form(response) is not accepted


def test_sign_in_starts_a_new_token(app):
    """Sign-in drops the token: one planted before it is no longer accepted."""
    with app.test_request_context():
        before = generate_csrf()
        validate_csrf(before)
        sessions.start(sessions.STAFF, {"tenant": "musterstadt", "subject": "staff:x",
                                        "roles": ["counter_staff"]})
        with pytest.raises(ValidationError):
            validate_csrf(before)
        assert generate_csrf() != before


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


@pytest.mark.parametrize("path", sorted(TEMPLATES.glob("**/*.html")),
                         ids=lambda path: str(path.relative_to(TEMPLATES)))
def test_every_post_form_carries_the_token_through_the_macro(path):
    for form in post_forms(path.read_text()):
        assert form.count("{{ csrf_field() }}") == 1, form[:120]
