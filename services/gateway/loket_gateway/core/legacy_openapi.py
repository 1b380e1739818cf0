# SPDX-License-Identifier: EUPL-1.2
"""TEMPORARY (removed when every area is on :class:`.api_helpers.ApiBlueprint`).

The old route marker, so areas not yet declared the flask-smorest way still import.
Their routes are missing from ``/openapi.json`` meanwhile.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint

from .api_helpers import API_PREFIX


def operation(summary: str, responses: dict[int, tuple[str, Any]], **details: Any) -> Callable:
    """The old declaration: kept only so the view imports (documents nothing)."""
    def mark(view: Callable) -> Callable:
        return view
    return mark


def legacy_api_blueprint(name: str, import_name: str) -> Blueprint:
    """A plain Flask blueprint under ``/api/v1`` (not in the document)."""
    return Blueprint(name, import_name, url_prefix=API_PREFIX)
