"""The public statistics page: published figures as charts with tables and summaries."""
import re
from unittest.mock import call

import pytest

from . import statistics_answers as answers


@pytest.fixture
def statistics(services):
    fake = services.statistics
    fake.list_releases.return_value = answers.releases()
    fake.published_series.return_value = answers.published_series()
    fake.get_settings.return_value = answers.settings()
    return fake


def test_the_page_shows_each_process_with_charts_tables_and_a_summary_in_german(
        client, services, statistics):
    page = client.get("/de/statistics")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Personalausweis" in html and "Bewohnerparkausweis" in html
    assert ("Im Oktober 2026 wurden 62\xa0% der Termine online gebucht, erwartet waren "
            "50\xa0%.") in html
    assert "<td>weniger als 5</td>" in html  # September's suppressed counter and phone
    assert "Kleine Zahlen werden nicht veröffentlicht" in html
    assert html.count('<svg id="chart-') == 4 and 'aria-hidden="true"' in html
    assert "4,5 Tage" in html and "9 Tage" in html  # the parking permit's lead times
    assert 'href="/open-data/musterstadt/?lang=de"' in html
    assert 'href="/open-data/musterstadt/latest/statistics.csv"' in html
    assert services.mock_calls == [call.statistics.list_releases("musterstadt"),
                                   call.statistics.published_series("musterstadt"),
                                   call.statistics.get_settings("musterstadt")]


def test_the_page_in_english_and_its_months_in_order(client, statistics):
    html = client.get("/en/statistics").get_data(as_text=True)
    assert "In October 2026, 62% of appointments were booked online; 50% were expected." in html
    assert "fewer than 5" in html and "at the counter" in html
    assert html.index("<th scope=\"row\">September 2026</th>") < html.index(
        "<th scope=\"row\">October 2026</th>")
    assert "In October 2026, 80% of applications were made online." in html


def test_no_chart_holds_a_url_a_script_or_a_style(client, statistics):
    html = client.get("/en/statistics").get_data(as_text=True)
    charts = re.findall(r"<svg.*?</svg>", html, re.S)
    assert len(charts) == 4
    for chart in charts:
        assert "http" not in chart and "<script" not in chart and "<style" not in chart
        assert "style=" not in chart and "href" not in chart
    ids = re.findall(r' id="([^"]*)"', html)
    assert len(ids) == len(set(ids))  # pygal's legend ids are not repeated


def test_the_charts_styles_are_a_file_the_policy_allows(client, statistics):
    page = client.get("/en/statistics")
    assert "style-src 'self'" in page.headers["Content-Security-Policy"]
    assert '<link rel="stylesheet" href="/statistics/charts.css">' in page.get_data(as_text=True)
    styles = client.get("/statistics/charts.css")
    assert styles.status_code == 200 and styles.mimetype == "text/css"
    assert "svg.pygal-chart" in styles.get_data(as_text=True)
    assert "http" not in styles.get_data(as_text=True)
    assert "public" in styles.headers["Cache-Control"]


def test_without_releases_the_page_says_so(client, services):
    services.statistics.list_releases.return_value = []
    html = client.get("/de/statistics").get_data(as_text=True)
    assert "Es wurde noch kein Monat veröffentlicht." in html
    assert "<svg" not in html
    assert services.mock_calls == [call.statistics.list_releases("musterstadt")]


def test_the_home_page_links_to_the_statistics(client, services):
    services.appointments.list_offices.return_value = []
    services.permits.list_permit_types.return_value = []
    assert 'href="/en/statistics"' in client.get("/en/").get_data(as_text=True)
