# SPDX-License-Identifier: EUPL-1.2
"""Who is asking: bearer tokens, providers, sessions, subjects, trust levels, roles, sign-in."""
from __future__ import annotations

from flask import Flask

from . import sign_in_pages


def register(app: Flask) -> None:
    """Add sign-in and sign-out through each tenant's OpenID Connect providers."""
    app.register_blueprint(sign_in_pages.blueprint)
