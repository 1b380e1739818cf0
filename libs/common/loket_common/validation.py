# SPDX-License-Identifier: EUPL-1.2
"""Marshmallow at the edge: turn schema errors into :class:`ValidationFailed`."""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError

from .errors import ValidationFailed, invalid_params


def load(schema: Schema, data: Any) -> Any:
    """Validate ``data`` with ``schema``; raise ValidationFailed naming each bad field."""
    if not isinstance(data, dict):
        raise ValidationFailed("Expected a JSON object.", invalid_params=[])
    try:
        return schema.load(data)
    except ValidationError as error:
        raise ValidationFailed(
            "The request has invalid fields.", invalid_params=invalid_params(error.messages)
        ) from None
