# SPDX-License-Identifier: EUPL-1.2
"""The platform operator: the tenants served here and their sign-in providers."""
from __future__ import annotations

from flask import Flask

from ..core.api_helpers import register_api
from . import api


def register(app: Flask) -> None:
    """Add the operator's tenant list."""
    register_api(app, api.blueprint)
