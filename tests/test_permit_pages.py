"""The permit pages in headless Chromium, axe on every page: a resident applies, a case
worker decides (issue 4). Field names follow the demo data of residents-parking."""
import pytest
from playwright.sync_api import expect

from .browser import assert_accessible, sign_in
from .test_permit_applications import png

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

TEXTS = {
    "de": {"sign_in": "Anmelden", "save": "Entwurf speichern", "submit": "Antrag absenden",
           "apply": "Antrag stellen: Bewohnerparkausweis", "submitted": "Eingereicht",
           "saved": "Ihr Entwurf ist gespeichert.", "upload": "hochladen"},
    "en": {"sign_in": "Sign in", "save": "Save draft", "submit": "Submit application",
           "apply": "Apply: Residents' parking permit", "submitted": "Submitted",
           "saved": "Your draft is saved.", "upload": "Upload"},
}


def apply(page, system, lang: str, username: str) -> str:
    """Sign in, make a mistake, save a draft, upload a PNG, submit; the status page's URL."""
    text = TEXTS[lang]
    page.goto(f"{system.url}/{lang}/permits/applications/")  # signed out: on to sign in
    assert page.url.startswith(system.idp_url + "/authorize")
    assert page.locator("html").get_attribute("lang") == lang
    assert_accessible(page)  # the identity provider's page
    page.locator("#user-ben").check()  # Ben has no eID: level high is refused
    page.locator("#level-high").check()
    page.get_by_role("button", name=text["sign_in"], exact=True).click()
    assert page.get_by_role("alert").is_visible()
    assert_accessible(page)

    sign_in(page, system, username, lang=lang)
    assert page.url.endswith(f"/{lang}/permits/applications/")
    assert_accessible(page)  # my applications
    page.goto(f"{system.url}/{lang}/permits/")
    assert_accessible(page)
    page.get_by_role("link", name=text["apply"]).click()
    assert_accessible(page)

    # a mistake is explained at the field
    page.locator("#field-licence_plate").fill("!!! no plate !!!")
    page.get_by_role("button", name=text["save"]).click()
    assert page.locator("#field-licence_plate[aria-invalid=true]").count() == 1
    assert page.locator("#field-licence_plate-error").is_visible()
    assert page.locator(".error-summary[role=alert]").is_visible()
    assert_accessible(page)

    page.locator("#field-licence_plate").fill("M-AB 123")
    page.locator("#field-vehicle_holder").fill("Erika Mustermann")
    page.get_by_role("button", name=text["save"]).click()
    expect(page.get_by_text(text["saved"])).to_be_visible()
    assert_accessible(page)

    page.locator("#file-vehicle_registration").set_input_files(
        files=[{"name": "zulassung.png", "mimeType": "image/png", "buffer": png()}])
    page.locator("form[enctype] button").click()
    assert page.get_by_role("link", name="zulassung.png").is_visible()

    page.locator("#field-address-street").fill("Marktplatz 1")
    page.locator("#field-address-postal_code").fill("12345")
    page.locator("#field-address-city").fill("Musterstadt")
    page.locator("#field-zone").select_option("A")
    page.locator("#field-duration_months").fill("12")
    page.get_by_role("button", name=text["submit"]).click()
    assert page.locator("dd strong").inner_text().startswith(text["submitted"])
    assert_accessible(page)
    return page.url


def test_a_resident_applies_in_english(page, system):
    apply(page, system, "en", "dora")
    reference = page.get_by_role("heading", level=1).inner_text().split()[-1]
    page.goto(f"{system.url}/en/permits/applications/")
    assert page.locator("h1").inner_text() == "My applications", page.content()
    # dora applies in other tests too: this application's row says it was submitted
    row = page.get_by_role("row").filter(has_text=reference)
    assert row.get_by_role("cell", name="Submitted, waiting for review").is_visible()
    assert_accessible(page)


def test_an_application_from_draft_to_decision(page, browser, system):
    status_url = apply(page, system, "de", "anna")
    reference = page.get_by_role("heading", level=1).inner_text().split()[-1]

    # a case worker (a second browser) finds it in the queue
    staff = browser.new_context().new_page()
    sign_in(staff, system, "david")
    staff.goto(f"{system.url}/en/staff/cases/")
    assert staff.locator("h1").inner_text() == "Case queue", staff.content()
    assert_accessible(staff)
    staff.locator("#type_id").select_option("residents-parking")
    staff.locator("#state").select_option("submitted")
    staff.locator("#assigned_to").select_option("nobody")
    staff.get_by_role("button", name="Show").click()
    assert_accessible(staff)
    while not staff.get_by_role("link", name=reference).count():
        staff.get_by_role("link", name="Next page").click()
    staff.get_by_role("link", name=reference).click()
    assert_accessible(staff)
    with staff.expect_download() as download:
        staff.get_by_role("link", name="zulassung.png", exact=False).click()
    assert open(download.value.path(), "rb").read() == png()

    staff.get_by_role("button", name="Assign to me").click()
    expect(staff.get_by_text("The case is assigned to you.")).to_be_visible()
    staff.get_by_role("button", name="Start review").click()
    expect(staff.get_by_text("The review has started.")).to_be_visible()
    assert_accessible(staff)
    staff.locator("#message").fill("Bitte Hausnummer prüfen.")
    staff.locator("#ask-address").check()
    staff.get_by_role("button", name="Send the request").click()
    expect(staff.get_by_text("The applicant is asked for more information.")).to_be_visible()
    assert_accessible(staff)

    # the resident answers
    page.goto(status_url)
    expect(page.get_by_text("Bitte Hausnummer prüfen.", exact=True)).to_be_visible()
    assert_accessible(page)
    page.locator("#field-address-street").fill("Marktplatz 1a")
    page.locator("#answer-message").fill("Hausnummer ergänzt.")
    page.get_by_role("button", name="Meine Antwort senden").click()
    expect(page.get_by_text("Ihre Antwort ist gesendet.")).to_be_visible()

    # the case worker reviews again and approves
    staff.reload()
    staff.get_by_role("button", name="Start review").click()
    staff.locator("#reason").fill("Alle Nachweise liegen vor.")
    staff.get_by_role("button", name="Approve").click()
    expect(staff.get_by_text("The application is approved.")).to_be_visible()
    assert_accessible(staff)
    staff.context.close()

    page.goto(status_url)
    assert page.locator("dd strong").inner_text() == "Genehmigt"
    assert page.get_by_text("Alle Nachweise liegen vor.").first.is_visible()
    assert_accessible(page)
