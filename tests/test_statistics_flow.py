# SPDX-License-Identifier: EUPL-1.2
"""Issue 14's "done when" on the running system, as a new user would try it.

This month: an online booking, a walk-in and a one-click counter transaction from the day
list (counter staff Clara), an online application and one entered at the counter; the
tenant admin Erika sees the counts by channel on her page and in the API. A past month
(its events published as the services' outbox does, ``statistics_support``): the operator's
publish command makes a release whose CSV, ``datapackage.json`` and DCAT-AP.de record
validate, whose small cells are suppressed (with secondary suppression) and whose chain
verifies; a correction makes the next link; the public page shows it in both languages.
"""
from __future__ import annotations

import json
import tempfile
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest
import requests
from babel.dates import format_date
from playwright.sync_api import expect
from rdflib import Graph, Namespace, URIRef, namespace

from loket_contracts.statistics.measures import MEASURES, VOLUME_MEASURES, area_of

from .booking_client import api
from .browser import sign_in
from .statistics_support import (
    TENANT,
    bearer,
    count,
    csv_rows,
    events_for,
    figures,
    publish_events,
    run_tool,
    this_month,
    wait_for_counts,
)
from .test_notification_pages_browser import book, fresh_address, submit_application
from .test_permit_applications import TYPE, value_for

pytestmark = pytest.mark.e2e

OPEN_DATA = f"/open-data/{TENANT}"
LICENCE = URIRef("http://dcat-ap.de/def/licenses/dl-by-de/2.0")
DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
# Published rows that hold counts (the others hold shares and lead times in days).
COUNT_MEASURES = {*MEASURES, "volume", "lead_time_decisions"}


def counter_entry(system, type_id: str) -> dict:
    """Clara enters an application received on paper at the counter (the staff API)."""
    permit_type = api(system, "GET", f"/permit-types/{type_id}").json()
    entered = api(system, "POST", "/counter/applications", headers=bearer(system, "clara"),
                  json={"type_id": type_id, "documents_seen": True,
                        "data": {field["name"]: value_for(field)
                                 for field in permit_type["fields"] if field["required"]},
                        "applicant": {"name": "Karl Schalter", "address": {
                            "street": "Marktplatz 2", "postal_code": "12345",
                            "city": "Musterstadt"}}})
    assert entered.status_code == 201, entered.text
    return entered.json()


def test_this_months_bookings_walk_ins_applications_and_counter_work_are_counted_by_channel(
        system, page, page_without_js):
    month = this_month()
    admin = bearer(system, "erika")
    before = figures(system, month, admin)
    expected_delta = {("appointments:registration", "appointments_booked", "online"): 1,
                      ("appointments:good-conduct", "appointments_booked", "counter"): 1,
                      ("appointments:good-conduct", "walk_ins", "counter"): 1,
                      ("appointments:id-card", "counter_transactions", "counter"): 1,
                      (f"permits:{TYPE}", "applications_started", "online"): 1,
                      (f"permits:{TYPE}", "applications_submitted", "online"): 1,
                      (f"permits:{TYPE}", "applications_started", "counter"): 1,
                      (f"permits:{TYPE}", "applications_submitted", "counter"): 1}
    expected = {cell: count(before, *cell) + n for cell, n in expected_delta.items()}

    book(system, fresh_address("counted"), service_id="registration")  # online
    submit_application(system, "anna")  # online
    counter_entry(system, TYPE)  # at the counter

    # Clara at the counter: a walk-in, then a finished counter transaction with one click.
    slot = api(system, "GET", "/slots", params={"service_id": "good-conduct",
                                                "office_id": "rathaus"}).json()[0]
    sign_in(page, system, "clara", lang="de")
    page.goto(f"{system.url}/de/staff/day-list?office=rathaus&date={slot['start'][:10]}")
    page.locator("#walk-in-service").select_option("good-conduct")
    page.locator("#walk-in-time").fill(slot["start"][11:16])
    page.locator("#walk-in-name").fill("Wilma Laufkundschaft")
    page.get_by_role("button", name="Ohne Termin buchen").click()
    expect(page.get_by_role("status")).to_contain_text("Wilma Laufkundschaft")
    page.get_by_role("button", name="Vorgang erledigt: Personalausweis beantragen").click()
    expect(page.get_by_role("status")).to_contain_text("Gezählt")

    shown = wait_for_counts(system, month, expected, admin)
    assert shown["month"] == month and shown["published"] is False
    for item in shown["processes"]:  # a volume: bookings or submissions, counter transactions
        parts = VOLUME_MEASURES.get(area_of(item["process"]), ())
        for channel, n in item["volume"].items():
            assert n == sum(item["counts"].get(part, {}).get(channel, 0) for part in parts), item

    # Erika's page shows the same counts by channel, marked as not yet published.
    sign_in(page_without_js, system, "erika", lang="de")
    page_without_js.goto(f"{system.url}/de/admin/statistics")
    expect(page_without_js.locator("main")).to_contain_text("nicht veröffentlicht")
    table = page_without_js.locator("table:has(#volume-caption)")
    columns = table.locator("thead th").all_inner_texts()
    for process, name in (("appointments:registration", "Wohnsitz anmelden (Termin)"),
                          ("appointments:good-conduct", "Führungszeugnis beantragen (Termin)"),
                          (f"permits:{TYPE}", "Bewohnerparkausweis (Antrag)")):
        volume = next(item["volume"] for item in shown["processes"]
                      if item["process"] == process)
        row = table.locator("tr").filter(has=page_without_js.get_by_role(
            "rowheader", name=name, exact=True))
        cells = dict(zip(columns[1:], row.locator("td").all_inner_texts(), strict=False))
        assert cells["online"] == str(volume.get("online", 0)), (name, cells, volume)
        assert cells["am Schalter"] == str(volume.get("counter", 0)), (name, cells, volume)
        assert volume.get("online", 0) + volume.get("counter", 0) >= 1


def published_file(system, number: int, name: str) -> requests.Response:
    """A file of release ``number`` as the public downloads it."""
    answer = requests.get(f"{system.url}{OPEN_DATA}/releases/{number}/{name}", timeout=30)
    assert answer.status_code == 200, (name, answer.status_code)
    return answer


def assert_suppressed_safely(rows: list[dict[str, str]], threshold: int) -> None:
    """No published count below the threshold; no suppressed cell alone in its row or
    column (so none can be recovered from the published totals by subtraction)."""
    lines: dict[tuple[str, ...], list[bool]] = defaultdict(list)
    for row in rows:
        if row["measure"] not in COUNT_MEASURES:
            continue
        hidden = row["suppressed"] == "true"
        if hidden:
            assert row["value"] == "", row
        else:
            assert int(row["value"]) == 0 or int(row["value"]) >= threshold, row
        lines[("row", row["measure"], row["process"])].append(hidden)
        lines[("column", row["measure"], row["channel"])].append(hidden)
    alone = [line for line, hidden in lines.items() if sum(hidden) == 1]
    assert not alone, f"recoverable by subtraction: {alone}"


def published_value(rows: list[dict[str, str]], process: str, measure: str,
                    channel: str) -> str | None:
    """The published value ('' when suppressed) of one cell, None when not published."""
    for row in rows:
        if (row["process"], row["measure"], row["channel"]) == (process, measure, channel):
            return row["value"]
    return None


def test_the_publish_command_makes_a_valid_suppressed_verifiable_release(
        system, statistics_release):
    import frictionless

    month, counts = statistics_release.month, statistics_release.counts
    first_day = date.fromisoformat(f"{month}-01")
    last_day = (first_day + timedelta(days=31)).replace(day=1) - timedelta(days=1)
    index = requests.get(f"{system.url}{OPEN_DATA}/index.json", timeout=30)
    assert index.status_code == 200, index.text
    release = next(item for item in index.json()["releases"] if item["month"] == month)
    number = release["number"]
    page = requests.get(f"{system.url}{OPEN_DATA}/", timeout=30)
    assert page.status_code == 200 and release["release_hash"] in page.text

    with tempfile.TemporaryDirectory() as folder:
        for name in ("statistics.csv", "statistics.json", "datapackage.json"):
            Path(folder, name).write_bytes(published_file(system, number, name).content)
        report = frictionless.validate(str(Path(folder, "datapackage.json")))
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
        rows = csv_rows(Path(folder, "statistics.csv").read_text(encoding="utf-8"))
    assert {row["month"] for row in rows} == {month}
    assert_suppressed_safely(rows, threshold=5)
    shown = {cell: published_value(rows, *cell) for cell in counts}
    for (process, measure, channel), n in counts.items():  # small: suppressed; else as
        assert shown[(process, measure, channel)] in (  # counted, or hidden beside one
            ("",) if n < 5 else (str(n), "")), (process, measure, channel, n, shown)
    assert any(shown[cell] == "" for cell, n in counts.items() if n >= 5), "no secondary"
    assert shown[("appointments:registration", "appointments_booked", "online")] == "6"

    for name, syntax in (("dcat.ttl", "turtle"), ("dcat.rdf", "xml")):
        graph = Graph().parse(data=published_file(system, number, name).text, format=syntax)
        (dataset,) = graph.subjects(namespace.RDF.type, namespace.DCAT.Dataset)
        assert (dataset, namespace.DCTERMS.license, LICENCE) in graph
        assert graph.value(dataset, namespace.DCTERMS.temporal) is not None
        assert graph.value(dataset, namespace.DCTERMS.spatial) is not None
        assert graph.value(dataset, DCATDE.politicalGeocodingURI) is not None
        period = graph.value(dataset, namespace.DCTERMS.temporal)
        assert graph.value(period, namespace.DCAT.startDate).toPython() == first_day
        assert graph.value(period, namespace.DCAT.endDate).toPython() == last_day
        distributions = list(graph.objects(dataset, namespace.DCAT.distribution))
        assert len(distributions) >= 2
        for distribution in distributions:
            download = str(graph.value(distribution, namespace.DCAT.downloadURL))
            assert download.startswith(f"{system.url}{OPEN_DATA}/releases/{number}/")
            assert requests.get(download, timeout=30).status_code == 200, download

    verified = run_tool(system, "loket-statistics-verify", "--tenant", TENANT)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    again = run_tool(system, "loket-statistics-publish", "--tenant", TENANT, "--month", month)
    assert again.returncode == 0, again.stderr
    assert release["release_hash"] in again.stdout + again.stderr  # the same release
    assert [item["number"] for item in requests.get(
        f"{system.url}{OPEN_DATA}/index.json", timeout=30).json()["releases"]
        if item["month"] == month] == [number]

    csv_file = published_file(system, number, "statistics.csv")
    sha256 = next(item["sha256"] for item in release["files"]
                  if item["name"] == "statistics.csv")
    assert csv_file.headers["ETag"].strip('"') == sha256
    assert "immutable" in csv_file.headers["Cache-Control"]
    unchanged = requests.get(csv_file.url, headers={"If-None-Match": csv_file.headers["ETag"]},
                             timeout=30)
    assert unchanged.status_code == 304 and not unchanged.content


def test_a_correction_is_a_new_release_linked_to_the_one_it_corrects(
        system, statistics_release):
    month = statistics_release.month
    index = requests.get(f"{system.url}{OPEN_DATA}/index.json", timeout=30).json()
    first = max((item for item in index["releases"] if item["month"] == month),
                key=lambda item: item["number"])
    late = {("appointments:passport", "appointments_booked", "online"): 5}
    admin = bearer(system, "erika")
    before = figures(system, month, admin)
    publish_events(system, events_for(late, month))  # a late-reported batch of the month
    wait_for_counts(system, month, {cell: count(before, *cell) + n for cell, n in
                                    late.items()}, admin)
    corrected = api(system, "POST", "/statistics/corrections", headers=admin,
                    json={"month": month, "reason": "Nachmeldung Bürgerbüro Nord"})
    assert corrected.status_code == 201, corrected.text
    release = corrected.json()
    assert release["number"] == first["number"] + 1
    assert release["previous_hash"] == first["release_hash"]
    assert release["corrects"] == first["id"] and release["reason"]
    assert any("appointments:passport" in change for change in release["changes"]), release
    listed = requests.get(f"{system.url}{OPEN_DATA}/index.json", timeout=30).json()
    assert release["release_hash"] in json.dumps(listed)
    verified = run_tool(system, "loket-statistics-verify", "--tenant", TENANT)
    assert verified.returncode == 0, verified.stdout + verified.stderr


PUBLIC = {"de": {"newest": "Neuester veröffentlichter Monat: {month}.",
                  "process": "Personalausweis beantragen", "fewer": "weniger als 5"},
          "en": {"newest": "Newest published month: {month}.",
                 "process": "Apply for an ID card", "fewer": "fewer than 5"}}


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_public_page_shows_the_published_month_with_data_tables(
        system, statistics_release, lang):
    year, number = (int(part) for part in statistics_release.month.split("-"))
    month = format_date(date(year, number, 1), "MMMM y", locale=lang)
    answer = requests.get(f"{system.url}/{lang}/statistics", timeout=30)  # nobody signed in
    assert answer.status_code == 200
    page, text = answer.text, PUBLIC[lang]
    assert f'<html lang="{lang}"' in page and "<script" not in page
    assert text["newest"].format(month=month) in page
    assert text["process"] in page
    assert text["fewer"] in page  # Musterstadt's small counts, suppressed
    charts = page.split("<figure")[1:]
    assert charts, "no chart on the public page"
    for chart in charts:  # every chart: an SVG drawn on the server, and its data table
        chart = chart.split("</figure>")[0]
        assert chart.count("<svg") == 1 and chart.count("<table") == 1, chart[:300]
        assert "http" not in chart.split("<svg")[1].split("</svg>")[0].replace(
            "http://www.w3.org/", "")
