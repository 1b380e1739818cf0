"""The statistics API: figures, settings (ETag/If-Match), corrections, releases, operator."""
from unittest.mock import ANY, call

import pytest

from loket_common.errors import LoketError

from . import statistics_answers as answers
from .conftest import remote

API = "/api/v1/tenants/musterstadt/statistics"
OPERATOR_API = "/api/v1/operator/statistics"
ADMIN_ROLE = "musterstadt:tenant_admin"


class StaleVersion(LoketError):
    """As the service answers a stale settings version."""

    status, code, title = 412, "version_conflict", "Changed meanwhile"


@pytest.fixture
def statistics(services):
    fake = services.statistics
    fake.month_figures.return_value = answers.month_figures(month="2026-11")
    fake.get_settings.return_value = answers.settings()
    fake.put_settings.return_value = answers.settings(4)
    fake.list_releases.return_value = answers.releases()
    fake.publish_correction.return_value = answers.release(4, "2026-09", corrects="rel-1")
    fake.all_tenants_figures.return_value = [answers.month_figures("musterstadt", "2026-11"),
                                             answers.month_figures("beispielstadt", "2026-11")]
    return fake


def admin(tokens):
    return tokens.bearer(tokens.staff(ADMIN_ROLE))


def test_a_tenant_admin_reads_a_months_figures(client, tokens, statistics):
    answer = client.get(API + "/figures?month=2026-11", headers=admin(tokens))
    assert answer.status_code == 200
    assert answer.get_json()["processes"][0]["volume"] == {"online": 7, "counter": 2}
    assert statistics.month_figures.call_args == call("musterstadt", "2026-11")


@pytest.mark.parametrize("month", ["2026-13", "26-11", "november", ""])
def test_a_bad_month_is_a_400_problem(client, tokens, statistics, month):
    answer = client.get(API + f"/figures?month={month}", headers=admin(tokens))
    assert answer.status_code == 400 and answer.mimetype == "application/problem+json"
    assert answer.get_json()["code"] == "validation_failed"
    assert statistics.month_figures.call_count == 0


def test_figures_and_settings_are_for_tenant_admins(client, tokens, services):
    for path in ("/figures", "/settings"):
        assert client.get(API + path).status_code == 401
        for roles in (["musterstadt:counter_staff"], ["beispielstadt:tenant_admin"]):
            assert client.get(API + path, headers=tokens.bearer(
                tokens.staff(*roles))).status_code == 403
    assert client.post(API + "/corrections", json={}).status_code == 401
    assert services.mock_calls == []


def test_settings_carry_their_version_as_etag_and_need_it_to_change(client, tokens,
                                                                    statistics):
    read = client.get(API + "/settings", headers=admin(tokens))
    assert read.status_code == 200 and read.headers["ETag"] == '"3"'
    assert read.get_json()["expected_shares"]["appointments:id-card"] == 0.5
    body = {"threshold": 7, "channels": ["post"],
            "expected_shares": {"permits:residents-parking": 0.75}}
    missing = client.put(API + "/settings", json=body, headers=admin(tokens))
    assert missing.status_code == 428 and missing.get_json()["code"] == "precondition_required"
    unusable = client.put(API + "/settings", json=body,
                          headers={**admin(tokens), "If-Match": "W/x"})
    assert unusable.status_code == 412
    changed = client.put(API + "/settings", json=body,
                         headers={**admin(tokens), "If-Match": '"3"'})
    assert changed.status_code == 200 and changed.headers["ETag"] == '"4"'
    assert statistics.put_settings.call_args == call("musterstadt", body, 3, ANY)
    assert statistics.put_settings.call_args.args[3]["role"] == "tenant_admin"


def test_settings_nobody_changed_yet_may_be_version_0(client, tokens, statistics):
    body = {"threshold": 5, "channels": [], "expected_shares": {}}
    answer = client.put(API + "/settings", json=body,
                        headers={**admin(tokens), "If-Match": '"0"'})
    assert answer.status_code == 200
    assert statistics.put_settings.call_args.args[2] == 0


def test_a_stale_version_is_412(client, tokens, statistics):
    statistics.put_settings.side_effect = remote(StaleVersion("Changed meanwhile."))
    answer = client.put(API + "/settings", json={"threshold": 5, "channels": [],
                                                  "expected_shares": {}},
                        headers={**admin(tokens), "If-Match": '"2"'})
    assert answer.status_code == 412 and answer.get_json()["code"] == "version_conflict"


@pytest.mark.parametrize("body", [{"threshold": 0, "channels": [], "expected_shares": {}},
                                  {"threshold": 5, "channels": ["fax"], "expected_shares": {}},
                                  {"threshold": 5, "channels": [],
                                   "expected_shares": {"appointments:id-card": 1.5}},
                                  {"threshold": 5, "channels": [],
                                   "expected_shares": {"nothing": 0.5}}])
def test_bad_settings_are_400(client, tokens, statistics, body):
    answer = client.put(API + "/settings", json=body,
                        headers={**admin(tokens), "If-Match": '"3"'})
    assert answer.status_code == 400 and answer.get_json()["code"] == "validation_failed"
    assert statistics.put_settings.call_count == 0


def test_a_correction_is_a_new_release(client, tokens, statistics):
    answer = client.post(API + "/corrections", json={"month": "2026-09",
                                                     "reason": "Counted twice"},
                         headers=admin(tokens))
    assert answer.status_code == 201
    assert answer.get_json()["number"] == 4 and answer.get_json()["corrects"] == "rel-1"
    assert statistics.publish_correction.call_args == call(
        "musterstadt", {"month": "2026-09", "reason": "Counted twice"}, ANY)
    bad = client.post(API + "/corrections", json={"month": "2026-9", "reason": "x"},
                      headers=admin(tokens))
    assert bad.status_code == 400
    names = {item["name"] for item in bad.get_json()["invalid_params"]}
    assert {"month", "reason"} <= names


def test_the_releases_are_public(client, services, statistics):
    answer = client.get(API + "/releases")
    assert answer.status_code == 200
    assert [release["number"] for release in answer.get_json()] == [3, 2, 1]
    assert client.get("/api/v1/tenants/nowhere/statistics/releases").status_code == 404


def test_the_operator_reads_every_tenant(client, tokens, statistics):
    operator = tokens.bearer(tokens.staff("*:operator", sub="demo-operator"))
    answer = client.get(OPERATOR_API + "?month=2026-11", headers=operator)
    assert answer.status_code == 200
    assert [item["tenant"] for item in answer.get_json()] == ["musterstadt", "beispielstadt"]
    assert statistics.all_tenants_figures.call_args == call("2026-11")
    assert client.get(OPERATOR_API + "?month=2026-00", headers=operator).status_code == 400


def test_the_operators_view_is_the_operators(client, tokens, services):
    assert client.get(OPERATOR_API).status_code == 401
    assert client.get(OPERATOR_API + "?month=bad", headers=admin(tokens)).status_code == 403
    assert services.mock_calls == []


def test_every_route_is_in_the_openapi_document(client):
    paths = client.get("/openapi.json").get_json()["paths"]
    for path in ("/api/v1/tenants/{tenant}/statistics/figures",
                 "/api/v1/tenants/{tenant}/statistics/settings",
                 "/api/v1/tenants/{tenant}/statistics/corrections",
                 "/api/v1/tenants/{tenant}/statistics/releases",
                 "/api/v1/operator/statistics"):
        assert path in paths
    assert {"get", "put"} <= set(paths["/api/v1/tenants/{tenant}/statistics/settings"])
