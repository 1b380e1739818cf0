# SPDX-License-Identifier: EUPL-1.2
"""CSRF protection of every web form (Flask-WTF), and the page a failed check shows.

Every POST, PUT, PATCH and DELETE outside the JSON API must carry ``csrf_token``: a token
signed with the gateway secret, valid for :data:`TOKEN_SECONDS` and bound to the random
value in the visitor's session cookie. Templates add it with the ``csrf_field()`` macro of
``_macros.html``. It is checked before any view runs, so no form can forget it.
"""
from __future__ import annotations

from flask import Flask
from flask_wtf.csrf import CSRFError, CSRFProtect

from .error_pages import render_error_page

# Long enough for a permit application written slowly; the page must be reloaded after.
TOKEN_SECONDS = 2 * 60 * 60


def init_csrf(app: Flask) -> CSRFProtect:
    """Protect every form POST of ``app`` (call before the areas add their blueprints)."""
    app.config.update(
        WTF_CSRF_TIME_LIMIT=TOKEN_SECONDS,
        # The strict check wants a same-origin Referer on HTTPS, but our pages send
        # ``Referrer-Policy: no-referrer`` (manage and status links carry secrets), so
        # browsers send none. The session-bound token does the work; HSTS keeps
        # plain-HTTP cookie injection out.
        WTF_CSRF_SSL_STRICT=False,
    )
    # The JSON API's blueprints are exempted as they are added (api_helpers.register_api).
    csrf = CSRFProtect(app)
    app.register_error_handler(CSRFError, form_expired)
    return csrf


def form_expired(error: CSRFError) -> tuple[str, int, dict[str, str]]:
    """400 with the accessible error page: the form expired, reload it and send it again."""
    return render_error_page(400, form_expired=True)
