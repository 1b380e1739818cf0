# SPDX-License-Identifier: EUPL-1.2
"""Appointments: the API, the booking pages, the counter staff pages, iCalendar, anti-bot checks."""
from __future__ import annotations

from flask import Flask

from ..core.api_helpers import register_api
from . import api, booking_pages, counter_pages


def register(app: Flask) -> None:
    """Add the appointment API, the residents' booking pages and the counter staff pages."""
    register_api(app, api.blueprint)
    register_api(app, api.staff)
    app.register_blueprint(booking_pages.blueprint)
    app.register_blueprint(counter_pages.blueprint)
