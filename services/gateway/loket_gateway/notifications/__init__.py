# SPDX-License-Identifier: EUPL-1.2
"""Notifications as people see them: my messages, the kinds and previews, the operator's view.

The manage, lottery status and application pages and the case view use
:mod:`..core.message_status`.
"""
from __future__ import annotations

from flask import Flask

from ..core.api_helpers import register_api
from . import api, operator_pages, pages


def register(app: Flask) -> None:
    """Add the notifications API, the residents' and admins' pages and the operator's page."""
    register_api(app, api.blueprint)
    app.register_blueprint(pages.blueprint)
    app.register_blueprint(operator_pages.blueprint)
