"""The HTML as a screen reader and a small screen meet it, checked without a browser."""
import re

import pytest

from loket_contracts.notifications.schemas import KINDS
from loket_notifications.rendering import Renderer
from loket_notifications.rendering.samples import SAMPLE_TENANT, sample_context

from .audit import contrast, parse

VAGUE = {"here", "hier", "click here", "hier klicken", "link", "mehr", "more", "weiter"}


@pytest.fixture(scope="module")
def pages():
    renderer = Renderer()
    return {(kind, language): parse(renderer.render(kind, language, SAMPLE_TENANT,
                                                    sample_context(kind, language)).html)
            for kind in KINDS for language in ("de", "en")}


def test_headings_start_at_one_and_never_skip_a_level(pages):
    for key, page in pages.items():
        levels = [level for level, _ in page.headings]
        assert levels[0] == 1 and levels.count(1) == 1, key
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), key
        assert all(text for _, text in page.headings), key


def test_every_link_says_where_it_goes(pages):
    for key, page in pages.items():
        assert page.links, key
        for link in page.links:
            assert link.text and link.text.lower().strip(" .:") not in VAGUE, (key, link)
            assert link.href.startswith(("https://", "mailto:", "tel:")), (key, link)


def test_the_language_is_declared_and_the_title_set(pages):
    for (_, language), page in pages.items():
        assert page.lang == language and page.title.strip()


def test_text_has_aa_contrast_against_its_background(pages):
    for key, page in pages.items():
        for foreground, background, text in page.colour_pairs:
            assert re.fullmatch(r"#[0-9a-f]{6}", foreground), (key, foreground)
            assert contrast(foreground, background) >= 4.5, (key, text, foreground, background)


def test_one_column_that_reflows(pages):
    html = Renderer().render("booking_confirmed", "de", SAMPLE_TENANT,
                             sample_context("booking_confirmed", "de")).html
    assert "<table" not in html
    assert re.search(r"max-width:\s*37\.5em", html)
    assert not re.search(r"(?<![-\w])width:\s*\d+px", html)  # no fixed widths
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
