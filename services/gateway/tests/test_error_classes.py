"""Every LoketError subclass in every package: status, code, title, mapping and page message.

The one check of the error classes: a new error anywhere gets its status, code and title on
its class, and its page message (English, translated to German) in error_messages.py.
"""
import importlib
import json
import pkgutil
from collections import defaultdict
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from nameko.exceptions import RemoteError

import loket_gateway
from loket_common.errors import LoketError
from loket_gateway.core import error_messages
from loket_gateway.core.problems import CODE, from_exception

PACKAGES = ("loket_common", "loket_contracts", "loket_gateway", "loket_appointments",
            "loket_permits", "loket_profile")
# Builds the app from the environment at import; defines no errors.
NOT_IMPORTED = {"loket_gateway.wsgi"}
# Page messages for what is not an error class: confirmations a page asks for.
PAGE_ONLY = {"confirm_deactivate"}
PO = Path(loket_gateway.__file__).parent / "translations/de/LC_MESSAGES/messages.po"


def _all_error_classes() -> list[type[LoketError]]:
    for name in PACKAGES:
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(package.__path__, name + "."):
            if module.name not in NOT_IMPORTED:
                importlib.import_module(module.name)
    found, todo = set(), [LoketError]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] in PACKAGES:  # not a test's own subclass
                found.add(sub)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


ERRORS = _all_error_classes()
GERMAN = read_po(PO.open("rb"), locale="de")


def test_the_walk_finds_the_errors_of_every_package():
    packages = {cls.__module__.split(".")[0] for cls in ERRORS}
    # loket_contracts is walked too (an error class there would be checked) but holds none.
    assert packages == set(PACKAGES) - {"loket_contracts"}


@pytest.mark.parametrize("cls", ERRORS, ids=lambda cls: cls.__name__)
def test_each_error_declares_status_code_and_title(cls):
    assert "code" in vars(cls), "declare the code on the class itself, not only a parent's"
    assert CODE.fullmatch(cls.code) and cls.code != LoketError.code
    assert type(cls.status) is int and 400 <= cls.status <= 599
    assert isinstance(cls.title, str) and cls.title.strip()


def test_a_code_shared_by_classes_means_the_same_to_the_client():
    meanings = defaultdict(set)
    for cls in ERRORS:
        meanings[cls.code].add((cls.status, cls.title))
    assert {code: found for code, found in meanings.items() if len(found) > 1} == {}


@pytest.mark.parametrize("cls", ERRORS, ids=lambda cls: cls.__name__)
def test_the_gateway_maps_each_error_raised_in_a_service_by_its_code(app, cls):
    with app.app_context():
        response = from_exception(RemoteError(cls.__name__, str(cls("Some detail."))))
    body = json.loads(response.get_data())
    assert (response.status_code, body["code"], body["title"]) == (
        cls.status, cls.code, cls.title)
    assert body["detail"] == "Some detail."


def _msgids(monkeypatch, code: str) -> list[str]:
    """The English texts (msgids) the page message of ``code`` is made of."""
    used = []

    def gettext(text, **_):
        used.append(text)
        return text

    def ngettext(singular, plural, num, **_):
        used.append(singular)
        return singular

    monkeypatch.setattr(error_messages, "_", gettext)
    monkeypatch.setattr(error_messages, "ngettext", ngettext)
    error_messages.message_for(code, {})
    return used


@pytest.mark.parametrize("code", sorted({cls.code for cls in ERRORS} | PAGE_ONLY))
def test_each_code_has_a_page_message_in_english_and_german(monkeypatch, code):
    assert code in error_messages.MESSAGES, "add the message to error_messages.py"
    for msgid in _msgids(monkeypatch, code):
        translated = GERMAN.get(msgid)
        assert translated is not None, f"not in the German catalogue: {msgid!r}"
        assert not translated.fuzzy, f"fuzzy German translation: {msgid!r}"
        forms = translated.string if translated.pluralizable else (translated.string,)
        assert all(form.strip() for form in forms), f"no German translation: {msgid!r}"


def test_every_page_message_belongs_to_an_error_or_a_page():
    assert set(error_messages.MESSAGES) == {cls.code for cls in ERRORS} | PAGE_ONLY
