"""An appointment service and a permit type of the same name stay apart on the pages.

Musterstadt's ID card is both ("Personalausweis beantragen"): headings and region labels
name the kind, so no two landmarks of a page share a label (axe: landmark-unique).
"""
import re

import pytest

from loket_contracts.fakes import shaped
from loket_contracts.statistics import schemas as contract

from . import statistics_answers as answers
from .test_statistics_admin_pages import admin

ID_CARD = answers.ID_CARD
POINT = {"month": "2026-10", "volume": {"online": 6, "counter": 4}, "digital_share": 0.6,
         "expected_share": 0.5, "lead_time": None, "suppressed": []}


def both_id_cards() -> list[dict]:
    """The ID card's appointments and its applications, one name."""
    return shaped(contract.ProcessSeriesSchema(many=True), [
        {"process": process, "name": ID_CARD, "service_key": None, "points": [POINT]}
        for process in ("appointments:id-card", "permits:id-card")])


def region_labels(html: str) -> list[str]:
    return re.findall(r'role="region" aria-label="([^"]*)"', html)


@pytest.fixture
def statistics(services):
    fake = services.statistics
    fake.list_releases.return_value = answers.releases()
    fake.published_series.return_value = both_id_cards()
    fake.process_series.return_value = both_id_cards()
    fake.get_settings.return_value = answers.settings()
    figures = answers.month_figures()
    message = {**figures["processes"][0], "process": "notifications:booking_confirmed",
               "name": {"de": "notifications:booking_confirmed",
                        "en": "notifications:booking_confirmed"},
               "counts": {"notifications_sent": {"email": 3}}, "volume": {},
               "digital_share": None, "expected_share": None, "gap": None}
    figures["processes"].append(message)
    fake.month_figures.return_value = figures
    return fake


@pytest.mark.parametrize(("lang", "appointment", "application"), [
    ("de", "Personalausweis (Termin)", "Personalausweis (Antrag)"),
    ("en", "ID card (appointment)", "ID card (application)")])
def test_the_public_page_names_each_kind_in_headings_and_regions(
        client, statistics, lang, appointment, application):
    html = client.get(f"/{lang}/statistics").get_data(as_text=True)
    assert f">{appointment}</h2>" in html and f">{application}</h2>" in html
    labels = region_labels(html)
    assert len(labels) == len(set(labels)) == 4, labels


def test_the_admin_page_keeps_them_apart_and_asks_no_expected_share_of_messages(
        client, statistics):
    html = admin(client).get("/de/admin/statistics").get_data(as_text=True)
    assert ">Personalausweis (Termin)</h3>" in html and ">Personalausweis (Antrag)</h3>" in html
    labels = region_labels(html)
    assert len(labels) == len(set(labels)), labels
    settings = html.split('id="settings-heading"')[1].split("</form>")[0]
    assert 'name="expected-appointments:id-card"' in settings
    assert "notifications:" not in settings  # a message has no digital share to expect
