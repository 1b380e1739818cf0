# SPDX-License-Identifier: EUPL-1.2
"""Catalogue maintenance by tenant admins: the admin API and the admin pages."""
from __future__ import annotations

from flask import Flask

from ..core.api_helpers import register_api
from . import admin_api, admin_pages


def register(app: Flask) -> None:
    """Add the tenant admins' catalogue API and pages."""
    register_api(app, admin_api.blueprint)
    app.register_blueprint(admin_pages.blueprint)
