

from loket_gateway.core.security import CONTENT_SECURITY_POLICY


def test_openapi_documents_every_api_route(app, client):
    spec = client.get("/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    documented = set(spec["paths"])
    routes = {rule.rule.replace("<", "{").replace(">", "}")
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")}
    assert routes and routes <= documented
    patch = spec["paths"]["/api/v1/tenants/{tenant}/me"]["patch"]
    assert patch["requestBody"]["content"]["application/json"]["schema"]
    assert "ProfileUpdate" in spec["components"]["schemas"]


def test_security_headers_on_every_response(client):
    response = client.get("/livez")
    # Forms may end at the identity provider (a sign-in after an expired session).
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY.replace(
        "form-action 'self'", "form-action 'self' http://127.0.0.1:9")
    assert "default-src 'none'" in CONTENT_SECURITY_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_unknown_tenant_is_a_404_problem_without_calling_a_service(client):
    response = client.get("/api/v1/tenants/atlantis/offices")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["code"] == "unknown_tenant"


def test_unknown_api_path_is_problem_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_unknown_page_is_an_html_page(client):
    response = client.get("/de/nothing-here")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert b'lang="' in response.data


def test_root_redirects_to_the_accepted_language(client):
    response = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/en/")
    response = client.get("/", headers={"Accept-Language": "fr"})
    assert response.headers["Location"].endswith("/de/")


def test_health_reports_an_unreachable_broker_as_503(client):
    response = client.get("/health")
    assert response.status_code == 503
    assert response.get_json()["broker"] == "unavailable"
    assert response.get_json()["sessions"] == "ok"  # the test's own session database answers


def test_health_reports_an_unreachable_session_database(client, app):
    from pymongo import MongoClient

    down = MongoClient("mongodb://127.0.0.1:9/?retryWrites=false", connect=False,
                       serverSelectionTimeoutMS=200)
    app.extensions["loket_gateway_database"] = down["loket_gateway"]
    response = client.get("/health")
    assert response.status_code == 503
    assert response.get_json()["sessions"] == "unavailable"


def test_api_without_broker_is_503_not_500(client):
    response = client.get("/api/v1/tenants/musterstadt/offices")
    assert response.status_code == 503
    assert response.get_json()["code"] == "service_unavailable"
    assert response.headers["Retry-After"] == "5"


def test_a_page_without_broker_is_503_with_retry_after(client):
    response = client.get("/de/appointments/")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "text/html" in response.content_type


def test_lottery_routes_are_documented_with_the_why_of_each_field(client):
    spec = client.get("/openapi.json").get_json()
    assert "/api/v1/tenants/{tenant}/lottery-entries" in spec["paths"]
    assert "statusToken" in spec["components"]["securitySchemes"]
    entry = spec["components"]["schemas"]["EntryForm"]["properties"]
    assert {"service_id", "office_id", "name", "email", "language"} <= set(entry)


def test_a_lottery_entry_needs_its_status_token_and_a_valid_body(client):
    response = client.get("/api/v1/tenants/musterstadt/lottery-entries/ABCD-EFGH")
    assert response.status_code == 401
    assert response.get_json()["code"] == "not_authenticated"
    response = client.post("/api/v1/tenants/musterstadt/lottery-entries",
                           json={"service_id": "passport", "email": "nope"})
    assert response.status_code == 400
    names = {param["name"] for param in response.get_json()["invalid_params"]}
    assert names == {"name", "email"}
