# SPDX-License-Identifier: EUPL-1.2
"""The fair release of scarce services: the lottery API and pages."""
from __future__ import annotations

from flask import Flask

from ..core.api_helpers import register_api
from . import api, pages


def register(app: Flask) -> None:
    """Add the lottery API and the lottery entry and status pages."""
    register_api(app, api.blueprint)
    app.register_blueprint(pages.blueprint)
