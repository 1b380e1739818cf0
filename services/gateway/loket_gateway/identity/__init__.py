# SPDX-License-Identifier: EUPL-1.2
"""Who is asking: bearer tokens, providers, sessions, subjects, trust levels, roles, sign-in."""
from __future__ import annotations

from flask import Flask

from . import sign_in_pages, staff_session_pages


def register(app: Flask) -> None:
    """Add sign-in and sign-out (each tenant's OpenID Connect providers), signed-in staff."""
    app.register_blueprint(sign_in_pages.blueprint)
    app.register_blueprint(staff_session_pages.blueprint)
