"""A partner municipality overrides one file; everything else stays the base's."""
import re
from datetime import UTC, datetime

import pytest

from loket_contracts.notifications.schemas import KINDS
from loket_notifications.rendering import Renderer
from loket_notifications.rendering.samples import SAMPLE_TENANT, sample_context

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
BEISPIELSTADT = {**SAMPLE_TENANT, "id": "beispielstadt",
                 "name": {"de": "Stadt Beispielstadt", "en": "Town of Beispielstadt"}}


def _untitled(html):
    return re.sub(r"<title>.*?</title>", "", html)


def _all(renderer, tenant):
    return {(kind, language): renderer.render(kind, language, tenant,
                                              sample_context(kind, language))
            for kind in KINDS for language in ("de", "en")}


@pytest.fixture
def overrides(tmp_path):
    folder = tmp_path / "tenants" / "musterstadt" / "en"
    folder.mkdir(parents=True)
    (folder / "booking_confirmed.subject.txt").write_text(
        "See you at {{ booking.office.name | text }}, {{ booking.start | moment }}\n")
    return tmp_path


def test_overriding_one_file_changes_only_that_file(overrides):
    base = _all(Renderer(now=lambda: NOW), SAMPLE_TENANT)
    overridden = _all(Renderer(overrides, now=lambda: NOW), SAMPLE_TENANT)
    changed = overridden[("booking_confirmed", "en")]
    assert changed.subject == ("See you at Citizens' office, town hall, "
                               "Tuesday, 1 December 2026 at 09:15")
    assert changed.text == base[("booking_confirmed", "en")].text
    original = base[("booking_confirmed", "en")]
    # The HTML's title is the subject; nothing else in it differs.
    assert _untitled(changed.html) == _untitled(original.html)
    assert f"<title>{changed.subject}</title>" in changed.html
    for key, rendered in base.items():
        if key != ("booking_confirmed", "en"):
            assert overridden[key] == rendered, key


def test_the_templates_directory_comes_from_the_environment(overrides, monkeypatch):
    monkeypatch.setenv("NOTIFICATIONS_TEMPLATES_DIR", str(overrides))
    rendered = Renderer().render("booking_confirmed", "en", SAMPLE_TENANT,
                                 sample_context("booking_confirmed", "en"))
    assert rendered.subject.startswith("See you at")


def test_another_tenant_is_not_touched_by_the_override(overrides):
    rendered = Renderer(overrides).render("booking_confirmed", "en", BEISPIELSTADT,
                                          sample_context("booking_confirmed", "en"))
    assert rendered.subject.startswith("Appointment confirmed")


def test_the_demo_partner_has_its_own_german_subject():
    renderer = Renderer()
    german = renderer.render("booking_confirmed", "de", BEISPIELSTADT,
                             sample_context("booking_confirmed", "de"))
    english = renderer.render("booking_confirmed", "en", BEISPIELSTADT,
                              sample_context("booking_confirmed", "en"))
    assert german.subject == "Bürgeramt Beispielstadt: Ihr Termin am 1. Dezember 2026 ist gebucht"
    assert english.subject.startswith("Appointment confirmed")
    assert "Stadt Beispielstadt" in german.text


def test_a_tenant_may_add_a_language_of_its_own(tmp_path):
    folder = tmp_path / "tenants" / "musterstadt" / "tr"
    folder.mkdir(parents=True)
    (folder / "permit_submitted.subject.txt").write_text("Başvurunuz alındı\n")
    rendered = Renderer(tmp_path).render("permit_submitted", "tr", SAMPLE_TENANT,
                                         sample_context("permit_submitted", "tr"))
    assert rendered.subject == "Başvurunuz alındı"
    assert "We have received your application" in rendered.text  # the rest: English


def test_a_tenant_id_cannot_reach_outside_the_templates(tmp_path):
    (tmp_path / "tenants").mkdir()
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "en").mkdir()
    (tmp_path / "secret" / "en" / "permit_submitted.subject.txt").write_text("leaked\n")
    rendered = Renderer(tmp_path).render("permit_submitted", "en",
                                         {**SAMPLE_TENANT, "id": "../secret"},
                                         sample_context("permit_submitted", "en"))
    assert rendered.subject != "leaked"
