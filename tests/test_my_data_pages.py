"""The residents' own-data pages in a browser: accessible (axe), German and English, no JS.

Residents sign in through the development identity provider's page (``sign_in``).
"""
import re

import pytest
from playwright.sync_api import expect

from .browser import assert_accessible, sign_in

pytestmark = pytest.mark.e2e

PAGES = ["me/", "me/profile", "me/businesses", "me/consents", "me/access-log", "me/messages",
         "me/data", "me/data/erase", "me/data/erasure"]
HEADINGS = {"de": {"me/": "Meine Daten", "me/profile": "Mein Profil"},
            "en": {"me/": "My data", "me/profile": "My profile"}}


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_own_data_page_is_accessible_in_both_languages(page, system, lang):
    sign_in(page, system, "anna", lang=lang)
    for path in PAGES:
        response = page.goto(f"{system.url}/{lang}/{path}")
        assert response.status == 200, (path, response.status)
        assert page.locator("html").get_attribute("lang") == lang
        if path in HEADINGS[lang]:
            expect(page.get_by_role("heading", level=1)).to_have_text(HEADINGS[lang][path])
        assert_accessible(page)


def test_signed_out_residents_are_sent_to_sign_in_and_see_the_header_link(page, system):
    page.goto(f"{system.url}/en/")
    expect(page.get_by_role("navigation", name="Your account").get_by_role(
        "link", name="Sign in")).to_be_visible()
    page.goto(f"{system.url}/en/me/profile")
    assert page.url.startswith(system.idp_url + "/authorize")


def test_the_profile_form_explains_each_field_and_names_errors(page, system):
    sign_in(page, system, "anna")
    page.goto(f"{system.url}/en/me/profile")
    given = page.get_by_label("Given name")
    expect(given).to_have_value("Anna")
    assert "(required)" in page.locator("label[for=field-given_name]").inner_text()
    assert "Why we ask:" in page.locator("#field-given_name-why").inner_text()
    given.fill("")
    page.get_by_label("Email address").fill("not an email")
    page.get_by_role("button", name="Save my profile").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link", name=re.compile("Given name"))).to_have_attribute(
        "href", "#field-given_name")
    expect(summary.get_by_role("link", name=re.compile("Email address"))).to_be_visible()
    expect(page.get_by_label("Given name")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    page.get_by_label("Given name").fill("Anna")
    page.get_by_label("Email address").fill("anna.schmidt@example.org")
    page.get_by_label("Street").fill("Lindenweg")
    page.get_by_label("House number").fill("7")
    page.get_by_label("Postal code").fill("12345")
    page.get_by_label("City").fill("Musterstadt")
    page.get_by_role("button", name="Save my profile").click()
    expect(page.get_by_role("status")).to_contain_text("Your profile is saved.")
    expect(page.locator("main")).to_contain_text("Lindenweg 7")


def test_consent_is_given_and_withdrawn_with_its_times(page, system):
    sign_in(page, system, "anna")
    page.goto(f"{system.url}/en/me/consents")
    page.get_by_role("button", name="Give consent: Appointment reminders").click()
    expect(page.get_by_role("status")).to_contain_text("your consent is recorded")
    card = page.locator(".card", has_text="Appointment reminders")
    expect(card).to_contain_text("Given on")
    card.get_by_role("button", name="Withdraw consent: Appointment reminders").click()
    expect(page.get_by_role("status")).to_contain_text("Your consent is withdrawn.")
    expect(page.locator(".card", has_text="Appointment reminders")).to_contain_text(
        "Withdrawn on")
    assert_accessible(page)


def test_a_low_sign_in_is_asked_to_step_up_for_all_data(page, system):
    sign_in(page, system, "ben")  # his means reach "low" only
    page.goto(f"{system.url}/en/me/data")
    assert page.url.startswith(system.idp_url + "/authorize")


def test_erasure_asks_for_confirmation_then_shows_each_services_progress(page, system):
    sign_in(page, system, "dora")
    page.goto(f"{system.url}/en/me/data")
    expect(page.get_by_role("heading", name="Profile")).to_be_visible()
    expect(page.get_by_role("link", name="Download as JSON")).to_have_attribute(
        "href", "/en/me/data.json")
    page.get_by_role("link", name="Delete my data").click()
    expect(page.get_by_role("heading", name="What will be deleted")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("What is kept, anonymised"))).to_be_visible()
    page.get_by_role("button", name="Delete my data now").click()  # the box not ticked
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.get_by_label("Yes, delete my data (required)")).to_have_attribute(
        "aria-invalid", "true")
    assert_accessible(page)
    page.get_by_label("Yes, delete my data (required)").check()
    page.get_by_role("button", name="Delete my data now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Erasure of my data")
    table = page.get_by_role("table", name="Progress per service")
    for service in ("Profile", "Appointments", "Applications and permits"):
        expect(table).to_contain_text(service)
    assert_accessible(page)
    for _ in range(60):  # no JavaScript refresh: the resident follows the link
        if "Completed on" in page.locator("main").inner_text():
            break
        page.wait_for_timeout(500)
        page.goto(page.url)
    expect(page.locator("main")).to_contain_text("every service has erased your data")


def test_the_pages_work_without_javascript(page_without_js, system):
    page = page_without_js
    sign_in(page, system, "anna", lang="de")
    page.goto(f"{system.url}/de/me/consents")
    page.get_by_role("button", name=re.compile("Einwilligung geben")).first.click()
    expect(page.get_by_role("status")).to_be_visible()
    page.goto(f"{system.url}/de/me/data")
    with page.expect_download() as download:
        page.get_by_role("link", name="Als JSON herunterladen").click()
    assert download.value.suggested_filename.endswith(".json")
    page.goto(f"{system.url}/de/")
    page.get_by_role("button", name="Abmelden").click()
    expect(page.get_by_role("navigation", name="Ihr Konto").get_by_role(
        "link", name="Anmelden")).to_be_visible()
