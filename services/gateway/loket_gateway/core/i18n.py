# SPDX-License-Identifier: EUPL-1.2
"""Translations (gettext catalogues in ``translations/``) and per-language helpers."""
from __future__ import annotations

from datetime import date

from babel.numbers import format_currency
from flask import Flask, g
from flask_babel import Babel

from loket_common.booking_calendar import text_in as text_in  # the emails' too

from .page_helpers import day_label, when

# Each language named in itself, for the language switch.
LANGUAGE_NAMES = {"de": "Deutsch", "en": "English", "fr": "Français", "tr": "Türkçe",
                  "ar": "العربية"}


def select_locale() -> str:
    """The page's language, taken from its URL (``/de/...``); English for the API."""
    return g.get("lang", "en")


def money_in(cents: int, language: str) -> str:
    """An amount in euro, written the way ``language`` writes it."""
    return format_currency(cents / 100, "EUR", locale=language)


def localized(text: dict[str, str] | None) -> str:
    """:func:`text_in` the current page's language."""
    return text_in(text, select_locale())


def money(cents: int) -> str:
    """:func:`money_in` the current page's language."""
    return money_in(cents, select_locale())


def day(value: str | date) -> str:
    """An ISO day (or date) as a day heading in the page's language."""
    return day_label(date.fromisoformat(value) if isinstance(value, str) else value)


def init_i18n(app: Flask) -> None:
    """Wire Flask-Babel and the template helpers."""
    Babel(app, locale_selector=select_locale)
    app.jinja_env.filters["localized"] = localized
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["when"] = when
    app.jinja_env.filters["day"] = day
    app.jinja_env.globals["language_names"] = LANGUAGE_NAMES
