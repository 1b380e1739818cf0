# SPDX-License-Identifier: EUPL-1.2
"""Permit applications: residents', case workers' and the counter's API and pages."""
from __future__ import annotations

from flask import Flask

from ..core.api_helpers import register_api
from . import case_api, case_pages, counter_api, counter_pages, resident_api, resident_pages


def register(app: Flask) -> None:
    """Add the permit API and pages for residents and for case workers."""
    register_api(app, resident_api.blueprint)
    register_api(app, case_api.blueprint)
    register_api(app, counter_api.blueprint)
    app.register_blueprint(resident_pages.blueprint)
    app.register_blueprint(case_pages.blueprint)
    app.register_blueprint(counter_pages.blueprint)
