"""The operator's statistics page: every tenant side by side, releases and chains."""
from unittest.mock import call

import pytest

from loket_gateway.statistics.operator_pages import tenant_totals

from . import statistics_answers as answers
from .conftest import sign_in


def operator(client):
    sign_in(client, "staff", tenant="musterstadt", subject="staff:" + "2" * 32,
            name="Olga Operator", roles=[], operator=True)
    return client


@pytest.fixture
def statistics(services):
    fake = services.statistics
    fake.all_tenants_figures.return_value = [answers.month_figures("musterstadt", "2026-11"),
                                             answers.month_figures("beispielstadt", "2026-11")]
    fake.list_releases.side_effect = lambda tenant: (answers.releases()
                                                     if tenant == "musterstadt" else [])
    fake.verify_chain.side_effect = lambda tenant: answers.chain(
        tenant, ok=tenant == "musterstadt")
    return fake


def test_every_tenant_side_by_side_with_its_chain_in_german(client, statistics):
    page = operator(client).get("/de/operator/statistics?month=2026-11")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Kommunen im Vergleich" in html and "November 2026" in html
    assert '<th scope="row">musterstadt</th>' in html
    assert '<th scope="row">beispielstadt</th>' in html
    # online 7 + 3, counter 2, phone 1: 13 in all, 77 % online
    assert "<td>10</td>" in html and "<td>13</td>" in html and "77\xa0%" in html
    assert "geprüft, in Ordnung" in html and "unterbrochen" in html
    assert "release 2: statistics.csv changed" in html
    assert statistics.all_tenants_figures.call_args == call("2026-11")
    assert statistics.verify_chain.call_args_list == [call("musterstadt"),
                                                      call("beispielstadt")]


def test_the_page_in_english(client, statistics):
    html = operator(client).get("/en/operator/statistics").get_data(as_text=True)
    assert "Municipalities side by side" in html and "verified" in html and "broken" in html


def test_a_bad_month_is_400(client, statistics):
    assert operator(client).get("/en/operator/statistics?month=x").status_code == 400
    assert statistics.all_tenants_figures.call_count == 0


def test_the_page_is_the_operators(client, services):
    assert client.get("/en/operator/statistics").status_code == 303
    sign_in(client, "staff", tenant="musterstadt", subject="staff:" + "3" * 32, name="Sam",
            roles=["tenant_admin"], operator=False)
    assert client.get("/en/operator/statistics").status_code == 403
    assert services.mock_calls == []


def test_a_tenants_totals():
    totals = tenant_totals(answers.month_figures())
    assert totals["volume"] == {"online": 10, "counter": 2, "phone": 1}
    assert totals["total"] == 13 and totals["digital_share"] == 10 / 13
    empty = tenant_totals({**answers.month_figures(), "processes": []})
    assert empty["total"] == 0 and empty["digital_share"] is None
