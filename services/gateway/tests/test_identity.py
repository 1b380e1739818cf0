"""Bearer tokens, sessions, step-up, roles per tenant and the production guard (no provider
process needed: the conftest gives the gateway the provider's keys)."""
import hashlib

import pytest
from joserfc.jwk import RSAKey

from loket_gateway.core.security import cookie_settings
from loket_gateway.identity import sessions
from loket_gateway.identity.providers import IdentityProvider, check_environment
from loket_gateway.identity.subjects import resident_subject

from . import answers
from .conftest import sign_in, signed_in_as

API = "/api/v1/tenants/musterstadt"
ISSUER = "http://127.0.0.1:9"


def applications(client, token, tenant="musterstadt"):
    return client.get(f"/api/v1/tenants/{tenant}/applications",
                      headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def rpc(services):
    services.permits.my_applications.return_value = answers.application_summaries()
    return services


def test_a_valid_resident_token_opens_the_residents_own_data(client, tokens, rpc):
    response = applications(client, tokens.resident())
    assert response.status_code == 200
    assert response.get_json() == answers.application_summaries()
    # the services see only the pseudonym, never the provider's sub
    rpc.permits.my_applications.assert_called_once_with("musterstadt", resident_subject(
        "test-pseudonym-key", "musterstadt", ISSUER, "demo-anna"))
    tenant, subject = rpc.permits.my_applications.call_args.args
    assert subject.startswith("r-")
    assert len(subject) == 34
    assert "demo-anna" not in subject


@pytest.mark.parametrize("case", ["expired", "wrong_audience", "wrong_issuer",
                                  "tampered", "other_key", "not_a_jwt"])
def test_bad_bearer_tokens_are_401(client, tokens, rpc, case):
    other_key = RSAKey.generate_key(2048, parameters={"kid": "test-key"})
    token = {
        "expired": lambda: tokens.resident(expires_in=-120),
        "wrong_audience": lambda: tokens.make(aud="some-other-client"),
        "wrong_issuer": lambda: tokens.make(iss="http://127.0.0.1:9/evil"),
        "tampered": lambda: _tampered(tokens.resident()),
        "other_key": lambda: tokens.resident(key=other_key),
        "not_a_jwt": lambda: "not-a-token",
    }[case]()
    response = applications(client, token)
    assert response.status_code == 401, case
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["code"] == "not_authenticated"


def _tampered(token):
    import base64
    import json

    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = "demo-ben"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return ".".join([header, forged, signature])


def test_staff_tokens_do_not_open_residents_data(client, tokens, rpc):
    for roles in (["musterstadt:case_worker"], ["*:operator"]):
        response = applications(client, tokens.staff(*roles))
        assert response.status_code == 403
        assert response.get_json()["code"] == "forbidden"
    assert rpc.mock_calls == []


def test_a_permit_type_can_require_a_higher_trust_level(client, tokens, services):
    permits = services.permits
    permits.get_permit_type.return_value = answers.permit_type(
        minimum_trust_level="substantial")
    applicant = {"subject": resident_subject("test-pseudonym-key", "musterstadt", ISSUER,
                                             "demo-anna"), "name": "Anna Schmidt"}
    permits.create_application.return_value = answers.application(applicant)
    body = {"type_id": "residents-parking", "data": {}}
    low = client.post(API + "/applications", json=body,
                      headers=tokens.bearer(tokens.resident(level="low")))
    assert low.status_code == 403
    assert low.get_json()["code"] == "trust_level_too_low"
    assert low.get_json()["required_level"] == "substantial"
    permits.get_permit_type.assert_called_once_with("musterstadt", "residents-parking")
    permits.create_application.assert_not_called()
    ok = client.post(API + "/applications", json=body,
                     headers=tokens.bearer(tokens.resident(level="substantial")))
    assert ok.status_code == 201
    permits.create_application.assert_called_once_with(
        "musterstadt", applicant, "residents-parking", {}, None)


def test_a_resident_of_another_municipality_is_known_but_refused_403(client, tokens, rpc):
    response = applications(client, tokens.resident(tenant="beispielstadt"))
    assert response.status_code == 403
    assert response.get_json()["code"] == "forbidden"
    assert rpc.mock_calls == []


def test_felix_of_beispielstadt_may_not_work_musterstadts_cases(client, tokens):
    felix = tokens.staff("beispielstadt:case_worker")  # through musterstadt's provider
    response = client.get(API + "/cases", headers=tokens.bearer(felix))
    assert response.status_code == 403
    # his own tenant's token is valid, but not here
    own = tokens.staff("beispielstadt:case_worker", tenant="beispielstadt")
    assert client.get(API + "/cases", headers=tokens.bearer(own)).status_code == 403


def test_the_operator_lists_tenants_and_providers_and_nothing_else(client, tokens):
    operator = tokens.bearer(tokens.staff("*:operator"))
    response = client.get("/api/v1/operator/tenants", headers=operator)
    assert response.status_code == 200
    listed = {tenant["id"]: tenant for tenant in response.get_json()}
    assert set(listed) == {"musterstadt", "beispielstadt"}
    assert {item["id"] for item in listed["musterstadt"]["identity_providers"]} == {
        "dev-residents", "dev-staff"}
    assert "client_secret" not in str(response.get_json())
    admin = tokens.bearer(tokens.staff("musterstadt:tenant_admin"))
    assert client.get("/api/v1/operator/tenants", headers=admin).status_code == 403
    assert client.get("/api/v1/operator/tenants").status_code == 401
    for path in ("/cases", "/catalogue", "/applications"):
        assert client.get(API + path, headers=operator).status_code == 403, path


def _provider(issuer="https://id.example.org", development=False):
    return IdentityProvider(tenant="musterstadt", id="eid", audience="residents",
                            issuer=issuer, client_id="loket", client_secret="s",
                            development=development)


def test_production_refuses_a_development_provider():
    with pytest.raises(SystemExit, match="development provider"):
        check_environment([_provider("http://127.0.0.1:8001", development=True)],
                          "production")


def test_production_refuses_a_plain_http_issuer():
    with pytest.raises(SystemExit, match="https"):
        check_environment([_provider("http://id.example.org")], "production")


def test_development_keeps_the_development_provider_on_loopback():
    check_environment([_provider("http://127.0.0.1:8001", development=True)], "development")
    with pytest.raises(SystemExit, match="loopback"):
        check_environment([_provider("http://idp.example.org", development=True)],
                          "development")
    check_environment([_provider()], "production")


def test_the_gateway_does_not_start_in_production_with_the_default_tenants():
    from loket_gateway.app import create_app

    from .conftest import test_settings
    with pytest.raises(SystemExit, match="development provider"):
        create_app(test_settings(environment="production"))


def test_the_gateway_needs_a_pseudonym_key():
    from loket_gateway.app import create_app

    from .conftest import test_settings
    with pytest.raises(SystemExit, match="LOKET_PSEUDONYM_KEY"):
        create_app(test_settings(pseudonym_key=""))


def test_session_cookies_are_secure_host_cookies_in_production():
    production = cookie_settings("production")
    assert production["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_PATH"] == "/"
    for environment in ("production", "development"):
        assert cookie_settings(environment)["SESSION_COOKIE_HTTPONLY"] is True
        assert cookie_settings(environment)["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert "SESSION_COOKIE_SECURE" not in cookie_settings("development")


def test_the_development_cookie_is_httponly_and_lax(client, form_token):
    sign_in(client, "staff", tenant="musterstadt", subject="staff:" + "2" * 32,
            roles=["case_worker"])
    sign_in(client, "resident", tenant="musterstadt", subject="r-" + "1" * 32)
    response = client.post("/en/sign-out", data={"csrf_token": form_token})  # a new id
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


class Clock:
    def __init__(self):
        self.now = 1_800_000_000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(sessions, "clock", fake)
    return fake


def resident_session(client, clock, tenant="musterstadt", level="substantial"):
    return sign_in(client, "resident", tenant=tenant, subject="r-" + "1" * 32,
                   name="Anna Schmidt", trust_level=level)


def staff_session(client, clock, roles=("case_worker",)):
    return sign_in(client, "staff", tenant="musterstadt", subject="staff:" + "2" * 32,
                   name="Sam Staff", roles=list(roles))


def signed_in_kinds(client):
    return {kind for kind in ("resident", "staff") if signed_in_as(client, kind)}


def test_inactivity_signs_a_resident_out_with_a_notice(app, client, clock):
    resident_session(client, clock)
    with app.test_request_context("/en/", base_url="http://127.0.0.1"):
        idle, absolute = (20 * 60, 8 * 3600)
        assert sessions.limits("resident") == (idle, absolute)
        assert sessions.limits("staff") == (30 * 60, 10 * 3600)
    apply = "/en/permits/residents-parking/apply"
    for _ in range(2):  # a request every 19 minutes keeps the session (no services: 503)
        clock.now += 19 * 60
        assert client.get(apply).status_code != 303
    assert signed_in_kinds(client) == {"resident"}
    clock.now += 21 * 60
    response = client.get(apply)
    assert response.status_code == 303
    assert "expired=1" in response.headers["Location"]
    assert signed_in_kinds(client) == set()


def test_activity_keeps_a_session_but_not_past_the_absolute_limit(app, client, clock):
    staff_session(client, clock, roles=("case_worker",))
    for _ in range(20):  # a request every 29 minutes for almost 10 hours
        clock.now += 29 * 60
        with app.test_request_context("/en/staff/", base_url="http://127.0.0.1"):
            from flask import g, session
            session.update(client_session(client))
            g.tenant = app.extensions["loket_tenants"].get("musterstadt")
            assert sessions.current("staff", "musterstadt") is not None
            store_session(client, dict(session))
    clock.now += 29 * 60  # 10 h 9 min after sign-in
    with app.test_request_context("/en/staff/", base_url="http://127.0.0.1"):
        from flask import g, session
        session.update(client_session(client))
        assert sessions.current("staff", "musterstadt") is None
        assert g.session_expired is True


def client_session(client):
    with client.session_transaction() as session:
        return dict(session)


def store_session(client, values):
    with client.session_transaction() as session:
        session.clear()
        session.update(values)


def test_resident_and_staff_sessions_coexist_and_sign_out_separately(client, clock,
                                                                     form_token):
    resident_session(client, clock)
    staff_session(client, clock)
    assert client.post("/en/sign-out", data={"csrf_token": form_token}).status_code == 303
    assert signed_in_kinds(client) == {"staff"}
    resident_session(client, clock)
    assert client.post("/en/staff/sign-out", data={"csrf_token": form_token}).status_code == 303
    assert signed_in_kinds(client) == {"resident"}


def test_a_session_of_another_tenant_counts_as_signed_out(client, clock):
    resident_session(client, clock, tenant="beispielstadt")
    response = client.get("/en/permits/applications/")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/en/sign-in?next=")


def test_step_up_asks_the_provider_for_the_higher_level(client, clock, services):
    resident_session(client, clock, level="low")
    services.permits.get_permit_type.return_value = answers.permit_type(
        minimum_trust_level="substantial", fields=[])
    services.permits.list_permit_types.return_value = []
    response = client.get("/en/permits/residents-parking/apply")
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location.startswith("/en/sign-in?") and "level=substantial" in location
    assert "next=/en/permits/residents-parking/apply" in location
    services.permits.get_permit_type.assert_called_once_with("musterstadt", "residents-parking")


def test_sign_in_keeps_only_local_next_paths():
    from loket_gateway.identity.sign_in_pages import safe_next

    assert safe_next("/en/permits/", "/en/") == "/en/permits/"
    for bad in ("https://evil.example/", "//evil.example/", "/\\evil", "javascript:x", "",
                None, "/en/\nx"):
        assert safe_next(bad, "/en/") == "/en/"


def test_sign_in_without_a_reachable_provider_is_a_clear_503_page(client):
    response = client.get("/en/sign-in")
    assert response.status_code == 503
    assert b'role="alert"' in response.data  # the page says so (no traceback, no 500)


def test_the_callback_without_a_started_sign_in_is_400(client):
    response = client.get("/auth/callback?code=x&state=y")
    assert response.status_code == 400
    assert b'role="alert"' in response.data


def test_an_expired_session_leads_to_a_sign_in_page_that_says_why(client, clock):
    resident_session(client, clock)
    clock.now += 8 * 3600 + 1  # past the absolute limit
    response = client.get("/en/permits/applications/")
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert b'role="status"' in page.data and b"signed out because" in page.data
    assert b"/en/sign-in?provider=dev-residents" in page.data  # sign in again from here


def test_rate_limits_key_on_the_signed_in_subject(app, client, clock, tokens):
    from loket_gateway.appointments.anti_bot.hold_guard import person_key

    with app.test_request_context("/api/v1/tenants/musterstadt/holds/h/confirmation",
                                  method="POST", json={"email": "a@example.org"},
                                  headers={"Authorization": "Bearer " + tokens.resident()}):
        from flask import request
        request.view_args = {"tenant": "musterstadt"}
        assert person_key() == "subject:" + resident_subject(
            "test-pseudonym-key", "musterstadt", ISSUER, "demo-anna")
    with app.test_request_context("/api/v1/tenants/musterstadt/holds/h/confirmation",
                                  method="POST", json={"email": "a@example.org"}):
        from flask import request
        request.view_args = {"tenant": "musterstadt"}
        anonymous = person_key()
        assert not anonymous.startswith("subject:") and len(anonymous) == 32
        # keyed: not the plain SHA-256 a guessed address would give
        assert anonymous not in hashlib.sha256(b"musterstadt:a@example.org").hexdigest()


def test_required_level_per_tenant_and_action(app):
    from loket_gateway.identity.access import required_level

    with app.app_context():
        assert required_level("musterstadt", "export") == "substantial"
        assert required_level("musterstadt", "erasure") == "substantial"
        assert required_level("musterstadt", "anything-else") == "low"
        assert required_level("atlantis") == "low"
