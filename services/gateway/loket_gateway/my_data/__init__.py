# SPDX-License-Identifier: EUPL-1.2
"""Residents' own data: profile, businesses, consents, access log, export and erasure."""
from __future__ import annotations

from flask import Flask

from loket_contracts.profile.schemas import AddressSchema

from ..core.api_helpers import register_api
from . import api, pages, rights_pages


def register(app: Flask) -> None:
    """Add the own-data API, the own-data pages and the export and erasure pages."""
    # A resident's postal address; "Address" is an office's (the appointments catalogue).
    app.extensions["loket_api"].spec.components.schema("PostalAddress", schema=AddressSchema)
    register_api(app, api.blueprint)
    app.register_blueprint(pages.blueprint)
    app.register_blueprint(rights_pages.blueprint)
