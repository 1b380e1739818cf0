"""Every kind renders in every language from the samples, by the rules of an accessible email."""
import html
import re

import pytest
from jinja2 import UndefinedError

from loket_contracts.notifications.schemas import KINDS, PreviewSchema
from loket_notifications.rendering import Renderer
from loket_notifications.rendering.contexts import CONTEXTS, LINK_KEYS
from loket_notifications.rendering.samples import SAMPLE_TENANT, sample_context

from .audit import parse

LANGUAGES = ("de", "en")
VARIANTS = [(kind, None) for kind in KINDS] + [
    ("booking_cancelled", "resident"), ("lottery_result", "not_allocated"),
    ("booking_confirmed", "anonymous")]
CONTACT = SAMPLE_TENANT["contact"]


@pytest.fixture(scope="module")
def renderer():
    return Renderer()


def _links(context):
    return {context[key] for key in LINK_KEYS if context.get(key)}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("kind", "variant"), VARIANTS)
def test_every_kind_renders_an_accessible_email(renderer, kind, variant, language):
    context = sample_context(kind, language, variant)
    rendered = renderer.render(kind, language, SAMPLE_TENANT, context)

    assert rendered.subject and "\n" not in rendered.subject and len(rendered.subject) < 120
    page = parse(rendered.html)
    assert rendered.html.startswith("<!DOCTYPE html>")
    assert page.lang == language
    assert page.title.strip() == rendered.subject
    assert [level for level, _ in page.headings].count(1) == 1
    assert page.headings[0][0] == 1
    assert "<img" not in rendered.html and page.resources == []
    # Every link goes where the context or the tenant's contact says, nowhere else.
    allowed = _links(context) | {CONTACT["web"], f"mailto:{CONTACT['email']}",
                                 "tel:" + CONTACT["phone"].replace(" ", "")}
    hrefs = {link.href for link in page.links}
    assert hrefs <= allowed, hrefs - allowed
    assert not [u for u in re.findall(r"https?://[^\s\"'<>]+", rendered.html)
                if u not in allowed]
    assert _links(context) & hrefs or kind == "erasure_completed"
    # Styles are inlined; only the small-screen block stays in <style>.
    assert page.styled > 10 and 'style="' in rendered.html
    assert "@media" in "".join(page.style_blocks)
    assert "max-width" in rendered.html and not re.search(r"\bwidth=\"?\d", rendered.html)
    # The footer: the tenant, its contact, and why the person gets this.
    for fact in (SAMPLE_TENANT["name"][language], CONTACT["email"], CONTACT["phone"],
                 CONTACT["web"], "Marktplatz 1, 12345 Musterstadt"):
        assert fact in rendered.html and fact in rendered.text
    assert ("Sie erhalten diese E-Mail, weil" if language == "de"
            else "You receive this email because") in rendered.text
    # The text part says what the HTML says, links written out.
    for url in _links(context):
        assert url in rendered.text
    for _, heading in page.headings:
        assert heading in rendered.text
    assert not re.search(r"</?[a-z][a-z0-9]*[ >]", rendered.text)  # no markup in the text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_facts_of_a_booking_are_in_both_parts(renderer, language):
    context = sample_context("booking_confirmed", language)
    rendered = renderer.render("booking_confirmed", language, SAMPLE_TENANT, context)
    facts = {"de": ["Dienstag, 1. Dezember 2026, 09:15 Uhr", "37,80\xa0€", "Passfoto",
                    "Bürgerbüro im Rathaus", "K7M2-Q9XP"],
             "en": ["Tuesday, 1 December 2026 at 09:15", "€37.80", "biometric photo",
                    "Citizens' office, town hall", "K7M2-Q9XP"]}[language]
    for fact in facts:
        assert fact in rendered.text
        assert fact in html.unescape(rendered.html)


def test_the_office_cancelling_gives_its_reason_and_a_way_to_book_again(renderer):
    context = sample_context("booking_cancelled", "de", "office")
    rendered = renderer.render("booking_cancelled", "de", SAMPLE_TENANT, context)
    assert "wegen einer Störung geschlossen" in rendered.text
    assert "Freie Termine suchen und neu buchen:\n" + context["search_url"] in rendered.text
    own = renderer.render("booking_cancelled", "de", SAMPLE_TENANT,
                          sample_context("booking_cancelled", "de", "resident"))
    assert "Sie haben Ihren Termin" in own.text and "Grund der Absage" not in own.text


def test_without_a_search_link_booking_again_points_to_the_tenants_site(renderer):
    context = {**sample_context("booking_cancelled", "en"), "search_url": None}
    rendered = renderer.render("booking_cancelled", "en", SAMPLE_TENANT, context)
    assert f"{SAMPLE_TENANT['public_url']}/en/appointments/" in rendered.text


def test_the_reminder_says_tomorrow_and_how_to_free_the_slot():
    from datetime import UTC, datetime
    renderer = Renderer(now=lambda: datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    rendered = renderer.render("booking_reminder", "en", SAMPLE_TENANT,
                               sample_context("booking_reminder", "en"))
    assert rendered.subject.startswith("Reminder: your appointment tomorrow, Tuesday")
    assert "so that someone else can have the slot" in rendered.text
    assert rendered.attachments == ()


def test_the_information_request_names_what_is_asked_and_by_when(renderer):
    rendered = renderer.render("permit_information_requested", "de", SAMPLE_TENANT,
                               sample_context("permit_information_requested", "de"))
    assert "Kennzeichen nicht lesbar" in rendered.text
    assert "- Fahrzeugschein (Zulassungsbescheinigung Teil I)" in rendered.text
    assert "bis zum 4. Dezember 2026" in rendered.text
    assert "4. Dezember 2026" in rendered.subject


def test_a_status_change_is_told_in_plain_words(renderer):
    rendered = renderer.render("permit_status_changed", "de", SAMPLE_TENANT,
                               sample_context("permit_status_changed", "de"))
    assert "Bisher: eingegangen\nJetzt: in Bearbeitung" in rendered.text
    assert "in_review" not in rendered.text and "in_review" not in rendered.html


def test_values_are_escaped_in_html_and_left_alone_in_text(renderer):
    context = sample_context("booking_cancelled", "en")
    context["booking"]["cancellation_reason"] = "<script>alert(1)</script> & more"
    rendered = renderer.render("booking_cancelled", "en", SAMPLE_TENANT, context)
    assert "<script>" not in rendered.html and "&lt;script&gt;" in rendered.html
    assert "<script>alert(1)</script> & more" in rendered.text


def test_a_subject_cannot_carry_a_header_line(renderer):
    context = sample_context("permit_submitted", "en")
    context["application"]["type_name"] = {"de": "x", "en": "Parking\r\nBcc: evil@example.org"}
    rendered = renderer.render("permit_submitted", "en", SAMPLE_TENANT, context)
    assert "\n" not in rendered.subject and "\r" not in rendered.subject


@pytest.mark.parametrize("kind", KINDS)
def test_a_missing_context_key_fails_loudly(renderer, kind):
    context = sample_context(kind, "de")
    required = [key for key in CONTEXTS[kind].__required_keys__
                if key not in ("recipient", "language") and context.get(key) is not None]
    assert required
    for key in required:
        broken = {k: v for k, v in context.items() if k != key}
        with pytest.raises((UndefinedError, KeyError)):
            renderer.render(kind, "de", SAMPLE_TENANT, broken)


def test_samples_have_exactly_the_documented_keys():
    for kind in KINDS:
        shape = CONTEXTS[kind]
        context = sample_context(kind, "de")
        assert shape.__required_keys__ <= context.keys(), kind
        assert context.keys() <= shape.__required_keys__ | shape.__optional_keys__, kind


def test_a_language_without_templates_is_written_in_english(renderer):
    rendered = renderer.render("permit_decided", "fr", SAMPLE_TENANT,
                               sample_context("permit_decided", "fr"))
    assert parse(rendered.html).lang == "en"
    assert rendered.subject.startswith("Decision on your application")


def test_an_unknown_kind_is_refused(renderer):
    with pytest.raises(ValueError, match="unknown kind"):
        renderer.render("newsletter", "de", SAMPLE_TENANT, {})


def test_the_preview_shows_every_kind_in_every_language(renderer):
    previews = renderer.preview(SAMPLE_TENANT, ["de", "en"])
    assert [(p["kind"], p["language"]) for p in previews] == [
        (kind, language) for kind in KINDS for language in ("de", "en")]
    assert PreviewSchema(many=True).validate(previews) == {}
    attachments = {(p["kind"], p["language"]): p["attachments"] for p in previews}
    assert attachments[("booking_confirmed", "de")] == ["termin.ics"]
    assert attachments[("lottery_result", "en")] == ["appointment.ics"]
    assert attachments[("permit_decided", "de")] == []


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_a_short_sms(renderer, kind):
    context = sample_context(kind, "de")
    text = renderer.sms_text(kind, "de", SAMPLE_TENANT, context)
    assert text.startswith("Stadt Musterstadt: ") and "\n" not in text
    assert len(text) <= 320
    main = next((context[key] for key in LINK_KEYS if context.get(key)), None)
    if main:
        assert text.endswith(main)


UNKNOWN = {  # what the dispatcher sends when a token cannot be opened or an event lacks a fact
    "booking_confirmed": {"manage_url": None, "previous_start": None, "cancelled_by": None},
    "booking_reminder": {"manage_url": None, "previous_start": None, "cancelled_by": None},
    "booking_moved": {"previous_start": None, "cancelled_by": None},
    "booking_cancelled": {"cancelled_by": None, "previous_start": None},
    "lottery_entered": {"status_url": None},
    "lottery_result": {"status_url": None, "manage_url": None},
    "permit_status_changed": {"from": None},
    "erasure_completed": {"completed_at": None},
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", sorted(UNKNOWN))
def test_unknown_links_and_facts_are_left_out_not_written_as_none(renderer, kind, language):
    context = {**sample_context(kind, language), **UNKNOWN[kind]}
    if kind == "booking_cancelled":
        context["booking"]["cancelled_by"] = None
    rendered = renderer.render(kind, language, SAMPLE_TENANT, context)
    for part in (rendered.subject, rendered.text, rendered.html):
        assert "None" not in part
    assert 'href=""' not in rendered.html


def test_a_tenant_file_with_an_address_line_and_its_url_in_a_variable(renderer, monkeypatch):
    monkeypatch.setenv("LOKET_TEST_PUBLIC_URL", "http://127.0.0.1:8000")
    tenant = {"id": "musterstadt", "name": SAMPLE_TENANT["name"],
              "contact": {**CONTACT, "address": "Marktplatz 1, 12345 Musterstadt"},
              "public_url_env": "LOKET_TEST_PUBLIC_URL", "languages": ["de", "en"]}
    context = {**sample_context("booking_cancelled", "de"), "search_url": None}
    rendered = renderer.render("booking_cancelled", "de", tenant, context)
    assert "Marktplatz 1, 12345 Musterstadt" in rendered.text
    assert "http://127.0.0.1:8000/de/appointments/" in rendered.text
    assert len(renderer.preview(tenant, tenant["languages"])) == 2 * len(KINDS)


def test_facts_the_owner_left_empty_do_not_fail_the_message(renderer):
    decided = sample_context("permit_decided", "en")
    decided["application"]["decision"].update(decided_at=None, reason=None)
    decided["application"]["next_step"] = None
    asked = sample_context("permit_information_requested", "de")
    asked["application"]["information_request"].update(answer_by=None, fields=[])
    entered = sample_context("lottery_entered", "de")
    entered["entry"]["draw_at"] = None
    booked = sample_context("booking_confirmed", "en")
    booked["booking"]["office"]["accessibility"] = None
    booked["booking"]["service"].update(fee_cents=None, required_documents=[])
    for kind, language, context in (("permit_decided", "en", decided),
                                    ("permit_information_requested", "de", asked),
                                    ("lottery_entered", "de", entered),
                                    ("booking_confirmed", "en", booked)):
        rendered = renderer.render(kind, language, SAMPLE_TENANT, context)
        assert "None" not in rendered.text + rendered.html, kind
    assert "You need not do anything else." in renderer.render(
        "permit_decided", "en", SAMPLE_TENANT, decided).text
