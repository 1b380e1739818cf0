# SPDX-License-Identifier: EUPL-1.2
"""Issue 14's pages in headless Chromium: axe (WCAG 2.1 AA) on each, usable at 320 px.

The public statistics page (German, English) and the open-data index, the tenant admin's
and the operator's statistics pages, the day list with its counter-transaction buttons and
the counter's application form; the one-click counter transaction and the counter
application work without JavaScript.
"""
from __future__ import annotations

from datetime import date

import pytest
from babel.dates import format_date
from playwright.sync_api import expect

from loket_common.events import Event

from .browser import assert_accessible, sign_in
from .statistics_support import (
    TENANT,
    bearer,
    count,
    figures,
    publish_events,
    this_month,
    wait_for_counts,
)
from .test_notification_pages_browser import assert_usable_at_320
from .test_permit_applications import TYPE

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_public_statistics_page_has_no_axe_violations(page, system, statistics_release,
                                                          lang):
    page.goto(f"{system.url}/{lang}/statistics")
    assert page.locator("h1").count() == 1
    assert page.locator("table").count() >= 1
    assert_accessible(page)
    assert_usable_at_320(page)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_open_data_index_has_no_axe_violations(page, system, statistics_release, lang):
    page.goto(f"{system.url}/open-data/{TENANT}/?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    year, number = (int(part) for part in statistics_release.month.split("-"))
    expect(page.locator("main")).to_contain_text(
        format_date(date(year, number, 1), "MMMM y", locale=lang))
    assert_accessible(page)
    assert_usable_at_320(page)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_admin_statistics_page_has_no_axe_violations(page, system, lang):
    # A message kind's long key among the processes (sent as the notifications service does).
    month, admin = this_month(), bearer(system, "erika")
    cell = ("notifications:permit_information_requested", "notifications_sent", "email")
    before = figures(system, month, admin)
    publish_events(system, [Event("notifications", "notification_sent", TENANT, {
        "kind": "permit_information_requested", "channel": "email", "state": "accepted"})])
    wait_for_counts(system, month, {cell: count(before, *cell) + 1}, admin)
    sign_in(page, system, "erika", lang=lang)
    page.goto(f"{system.url}/{lang}/admin/statistics")
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    assert_usable_at_320(page)


def test_the_operator_statistics_page_has_no_axe_violations(page, system):
    sign_in(page, system, "olga", lang="de")
    page.goto(f"{system.url}/de/operator/statistics")
    for tenant in ("musterstadt", "beispielstadt"):  # side by side
        expect(page.get_by_role("rowheader", name=tenant)).to_be_visible()
    assert_accessible(page)
    assert_usable_at_320(page)


def test_the_day_list_and_the_counter_application_form_have_no_axe_violations(page, system):
    sign_in(page, system, "clara", lang="de")
    page.goto(f"{system.url}/de/staff/day-list?office=rathaus")
    expect(page.get_by_role("button", name="Vorgang erledigt: Wohnsitz anmelden")).to_be_visible()
    assert_accessible(page)
    assert_usable_at_320(page)
    page.get_by_role("link", name="Am Schalter eingegangenen Antrag erfassen").click()
    assert_accessible(page)
    page.goto(f"{system.url}/de/counter/applications/{TYPE}")
    assert page.locator("#field-licence_plate").count() == 1
    assert_accessible(page)
    assert_usable_at_320(page)


def test_a_counter_transaction_is_counted_with_one_click_without_javascript(
        page_without_js, system):
    page = page_without_js
    month, admin = this_month(), bearer(system, "erika")
    cells = [("appointments:registration", "counter_transactions", "counter"),
             (f"permits:{TYPE}", "counter_transactions", "phone")]
    before = figures(system, month, admin)
    sign_in(page, system, "clara", lang="de")
    page.goto(f"{system.url}/de/staff/day-list?office=rathaus")
    page.get_by_role("button", name="Vorgang erledigt: Wohnsitz anmelden").click()
    expect(page.get_by_role("status")).to_contain_text("Gezählt")
    assert page.url.startswith(f"{system.url}/de/staff/day-list")
    # any process and a channel the tenant added (Musterstadt: phone, post)
    page.locator("#tally-process").select_option(f"permits:{TYPE}")
    page.locator("#tally-channel").select_option("phone")
    page.get_by_role("button", name="Zählen", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Gezählt")
    wait_for_counts(system, month, {cell: count(before, *cell) + 1 for cell in cells}, admin)


def test_an_application_is_entered_at_the_counter_without_javascript(page_without_js, system):
    page = page_without_js
    month, admin = this_month(), bearer(system, "erika")
    cell = (f"permits:{TYPE}", "applications_submitted", "counter")
    before = figures(system, month, admin)
    sign_in(page, system, "clara", lang="de")
    page.goto(f"{system.url}/de/counter/applications/{TYPE}")
    page.locator("#field-licence_plate").fill("!!! kein Kennzeichen !!!")
    page.locator("#applicant-name").fill("Karl Schalter")
    page.get_by_role("button", name="Antrag absenden").click()
    assert page.locator("#field-licence_plate[aria-invalid=true]").count() == 1
    assert page.locator(".error-summary[role=alert]").is_visible()
    assert page.locator("#applicant-name").input_value() == "Karl Schalter"  # kept
    page.locator("#field-licence_plate").fill("M-KS 42")
    page.locator("#field-vehicle_holder").fill("Karl Schalter")
    page.locator("#field-address-street").fill("Marktplatz 2")
    page.locator("#field-address-postal_code").fill("12345")
    page.locator("#field-address-city").fill("Musterstadt")
    page.locator("#field-zone").select_option("A")
    page.locator("#field-duration_months").fill("12")
    for field, value in (("street", "Marktplatz 2"), ("postal_code", "12345"),
                         ("city", "Musterstadt")):
        page.locator(f"#applicant-address-{field}").fill(value)
    page.locator("#documents_seen").check()
    page.get_by_role("button", name="Antrag absenden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Eingangsbestätigung für Ihren Antrag")
    reference = page.locator("dd strong").first.inner_text()
    assert reference
    wait_for_counts(system, month, {cell: count(before, *cell) + 1}, admin)
