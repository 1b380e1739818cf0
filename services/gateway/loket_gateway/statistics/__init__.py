# SPDX-License-Identifier: EUPL-1.2
"""Statistics as people see them: public figures, open data, the admins' and operators' views."""
from __future__ import annotations

from flask import Flask

from ..core.api_helpers import register_api
from . import admin_pages, api, open_data, operator_pages, pages


def register(app: Flask) -> None:
    """Add the statistics API, the public and staff pages and the open-data files."""
    register_api(app, api.blueprint)
    for blueprint in (pages.blueprint, pages.assets, admin_pages.blueprint,
                      operator_pages.blueprint, open_data.blueprint):
        app.register_blueprint(blueprint)
