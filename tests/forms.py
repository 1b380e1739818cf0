# SPDX-License-Identifier: EUPL-1.2
"""Post the gateway's web forms with ``requests`` as a browser would: token first.

Every form that posts carries a CSRF token bound to the session cookie, so a client
loads the page (keeping its cookies in a ``requests.Session``), reads the form's hidden
fields and sends them back with its own.
"""
from html.parser import HTMLParser

import requests


class _PostForms(HTMLParser):
    """The action and hidden fields of each ``<form method="post">`` of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._open = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._open = named.get("method", "get").lower() == "post"
            if self._open:
                self.forms.append((named.get("action", ""), {}))
        elif tag == "input" and self._open and named.get("type") == "hidden":
            self.forms[-1][1][named.get("name", "")] = named.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = False


def hidden_fields(page: str, action: str = "") -> dict[str, str]:
    """The hidden fields (``csrf_token`` among them) of the page's first post form whose
    action ends with ``action``."""
    parser = _PostForms()
    parser.feed(page)
    for form_action, fields in parser.forms:
        if form_action.endswith(action):
            return fields
    raise AssertionError(f"no form posting to ...{action} on the page")


def form_token(session: requests.Session, url: str, action: str = "", **kwargs) -> str:
    """Load ``url`` in ``session`` and return the CSRF token of its form (posting to ``action``)."""
    page = session.get(url, timeout=30, **kwargs)
    assert page.status_code == 200, page.status_code
    return hidden_fields(page.text, action)["csrf_token"]
