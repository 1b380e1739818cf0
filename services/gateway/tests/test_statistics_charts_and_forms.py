"""The statistics area's pure parts: charts, the admin forms, figures in words."""
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from flask import g

from loket_gateway.statistics import charts, forms
from loket_gateway.statistics.admin_pages import recent_months
from loket_gateway.statistics.open_data import latest_of
from loket_gateway.statistics.series_view import process_view, summary

from . import statistics_answers as answers


def test_a_share_chart_is_inline_svg_without_urls_scripts_or_styles():
    svg = charts.share_chart(["Sep", "Okt"], [0.8, None], [0.5, 0.5], ("Online", "Erwartet"))
    assert svg.startswith("<svg ") and 'aria-hidden="true"' in svg
    assert "http" not in svg and "<script" not in svg and "<style" not in svg
    assert "style=" not in svg and 'class="tooltip"' not in svg and "<!--" not in svg
    assert "Online" in svg and "Erwartet" in svg and "80" in svg


def test_a_channel_chart_escapes_its_labels():
    svg = charts.channel_chart(["<b>Okt</b>"], {"am Schalter & mehr": [3], "online": [None]})
    assert "http" not in svg and "<b>" not in svg and "&lt;b&gt;" in svg
    assert "am Schalter &amp; mehr" in svg


def test_the_stylesheet_is_scoped_to_the_charts():
    css = charts.stylesheet()
    rules = [rule for rule in re.split(r"}", css.split("svg.pygal-chart{display")[0])
             if rule.strip()]
    assert rules and all(rule.strip().startswith("svg.pygal-chart") for rule in rules)
    assert "#chart-" not in css and "http" not in css and "url(" not in css
    assert "svg.pygal-chart .graph > .background{fill:#ffffff" in css and "&gt;" not in css


def test_stored_settings_as_a_form_and_back():
    form = forms.settings_form(answers.settings(), ["appointments:id-card",
                                                    "permits:residents-parking",
                                                    "permits:dog-tax"])
    assert form["expected-appointments:id-card"] == ["50"]
    assert form["expected-permits:dog-tax"] == [""]
    assert form["version"] == ["3"] and form["channels"] == ["phone", "post"]
    assert forms.settings_body(form) == {
        "threshold": 5, "channels": ["phone", "post"],
        "expected_shares": {"appointments:id-card": 0.5, "permits:residents-parking": 0.8}}


@pytest.mark.parametrize(("share", "text"), [(0.125, "12.5"), (1.0, "100"), (0.0, "0"),
                                             (None, "")])
def test_a_share_as_a_percent(share, text):
    assert forms.percent_text(share) == text


@pytest.mark.parametrize(("field", "value"), [("threshold", "abc"), ("threshold", "0"),
                                              ("threshold", "101"),
                                              ("expected-appointments:id-card", "-1"),
                                              ("expected-appointments:id-card", "100.5"),
                                              ("expected-appointments:id-card", "nan"),
                                              ("expected-nothing", "50"),
                                              ("channels", "fax")])
def test_bad_settings_name_their_field(field, value):
    form = {"threshold": ["5"], "channels": [], field: [value]}
    with pytest.raises(forms.FormInvalid) as raised:
        forms.settings_body(form)
    assert raised.value.names == [field]


def test_a_services_field_names_find_the_forms():
    assert forms.api_field("expected_shares.permits:x") == "expected-permits:x"
    assert forms.api_field("threshold") == "threshold"


def test_a_correction_form():
    assert forms.correction_body({"month": ["2026-09"], "reason": [" Counted twice "]}) == {
        "month": "2026-09", "reason": "Counted twice"}
    with pytest.raises(forms.FormInvalid) as raised:
        forms.correction_body({"month": ["2026-9"], "reason": [""]})
    assert raised.value.names == ["month", "reason"]


def test_the_version_a_form_was_loaded_with():
    assert forms.form_version({"version": ["7"]}) == 7
    assert forms.form_version({"version": ["x"]}) == -1
    assert forms.form_version({}) == -1


def test_recent_months_cross_the_year():
    now = datetime(2026, 2, 15, tzinfo=ZoneInfo("Europe/Berlin"))
    assert recent_months(now, 4) == ["2026-02", "2026-01", "2025-12", "2025-11"]


def test_latest_is_the_newest_months_current_release():
    assert latest_of(answers.releases())["number"] == 3
    assert latest_of([answers.release(1, "2026-10"), answers.release(2, "2026-09")])[
        "number"] == 1
    assert latest_of([]) is None


@pytest.fixture
def german(app):
    with app.test_request_context("/de/statistics"):
        g.lang = "de"
        yield


def test_a_process_view_in_german(german):
    view = process_view(answers.published_series()[0], threshold=5)
    assert [row.month for row in view.rows] == ["2026-09", "2026-10"]
    assert view.channels == ["online", "counter", "phone"]
    september, october = view.rows
    assert september.counts == {"online": "40", "counter": "weniger als 5",
                                "phone": "weniger als 5"}
    assert october.counts == {"online": "62", "counter": "38", "phone": "0"}
    assert october.share == "62\xa0%" and october.expected == "50\xa0%"
    assert view.summary == ("Im Oktober 2026 wurden 62\xa0% der Termine online gebucht, "
                            "erwartet waren 50\xa0%.")
    assert view.has_suppressed and not view.has_lead_times


def test_summaries_without_an_expected_share_or_any_volume(german):
    parking = answers.published_series()[1]
    assert summary(parking["process"], parking["points"]) == (
        "Im Oktober 2026 wurden 80\xa0% der Anträge online gestellt.")
    empty = [{**parking["points"][0], "digital_share": None}]
    assert summary(parking["process"], empty) == "Es wurden noch keine Fälle gezählt."
