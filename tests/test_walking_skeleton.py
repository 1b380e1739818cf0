"""The running system driven over HTTP: every slice through gateway, RPC and database."""
import re

import pytest
import requests

pytestmark = pytest.mark.e2e

TENANT_API = "/api/v1/tenants/musterstadt"


def url(system, path):
    return system.url + path


def test_health_reports_broker_services_and_databases(system):
    response = requests.get(url(system, "/health"), timeout=10)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["broker"] == "ok" and body["sessions"] == "ok"
    assert body["services"] == {name: {"service": "ok", "database": "ok"}
                                for name in ("appointments", "permits", "profile",
                                             "notifications", "statistics")}


def test_offices_of_the_demo_tenant_come_from_the_database(system):
    offices = requests.get(url(system, TENANT_API + "/offices"), timeout=10).json()
    assert {office["id"] for office in offices} == {"rathaus", "nord"}
    town_hall = next(office for office in offices if office["id"] == "rathaus")
    assert "id-card" in {service["id"] for service in town_hall["services"]}
    assert town_hall["name"]["de"] == "Bürgerbüro im Rathaus"


def test_permit_types_explain_why_each_field_is_needed(system):
    permit_types = requests.get(url(system, TENANT_API + "/permit-types"), timeout=10).json()
    parking = next(item for item in permit_types if item["id"] == "residents-parking")
    assert parking["fields"] and all(field["why"]["de"] and field["why"]["en"]
                                     for field in parking["fields"])


def test_a_signed_in_resident_reads_their_own_profile(system):
    token = system.token_for("anna")
    mine = requests.get(url(system, TENANT_API + "/me"), timeout=10,
                        headers={"Authorization": f"Bearer {token}"})
    assert mine.status_code == 200, mine.text
    assert mine.json()["family_name"] == "Schmidt"
    assert mine.json()["subject"].startswith("r-")
    other = requests.get(url(system, TENANT_API + "/me"), timeout=10,
                         headers={"Authorization": "Bearer not-a-token"})
    assert other.status_code == 401
    assert other.headers["Content-Type"] == "application/problem+json"


def test_profiles_are_separated_by_tenant(system):
    token = system.token_for("anna")
    response = requests.get(url(system, "/api/v1/tenants/atlantis/me"), timeout=10,
                            headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404


def test_invalid_input_is_a_clear_400(system):
    response = requests.patch(url(system, TENANT_API + "/me"), timeout=10,
                              headers={"Authorization": f"Bearer {system.token_for('anna')}"},
                              json={"given_name": "A", "family_name": "B", "email": "x"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_failed"
    assert [param["name"] for param in body["invalid_params"]] == ["email"]


def test_openapi_document_is_served(system):
    spec = requests.get(url(system, "/openapi.json"), timeout=10).json()
    assert "/api/v1/tenants/{tenant}/offices" in spec["paths"]
    assert "/health" in spec["paths"]


@pytest.mark.parametrize("lang, heading", [("de", "Online-Dienste der Stadt Musterstadt"),
                                           ("en", "Online services of Town of Musterstadt")])
def test_home_page_lists_the_tenants_services(system, lang, heading):
    response = requests.get(url(system, f"/{lang}/"), timeout=10)
    assert response.status_code == 200
    html = response.text
    assert f'<html lang="{lang}"' in html
    assert heading in html
    assert ("Personalausweis beantragen" if lang == "de" else "Apply for an ID card") in html
    assert 'class="skip-link" href="#main"' in html


def test_pages_load_nothing_from_outside_the_gateway(system):
    for path in ("/de/", "/en/", "/de/missing"):
        html = requests.get(url(system, path), timeout=10).text
        references = re.findall(r'(?:src|href|action)="([^"]+)"', html)
        assert references
        assert all(ref.startswith(("/", "#")) for ref in references), references
    headers = requests.get(url(system, "/de/"), timeout=10).headers
    assert "default-src 'none'" in headers["Content-Security-Policy"]
