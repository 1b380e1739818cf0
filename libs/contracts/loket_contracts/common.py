# SPDX-License-Identifier: EUPL-1.2
"""Pieces every service's contract uses: bilingual texts, "why we ask", time fields."""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

LANGUAGES = ("de", "en")
SLUG = validate.Regexp(r"^[a-z0-9][a-z0-9-]{0,62}$")
# eIDAS levels of assurance of a resident's sign-in, lowest first.
TRUST_LEVELS = ("low", "substantial", "high")


def why(de: str, en: str) -> dict[str, Any]:
    """Field metadata: why we ask, in both languages (the English text documents the field)."""
    return {"why": {"de": de, "en": en}, "description": en}


class TextSchema(Schema):
    """A text in German and English (German is the legal language, English required too)."""

    de = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    en = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class Instant(fields.DateTime):
    """An ISO 8601 date and time; dumps a ``datetime`` or passes an ISO string through.

    A service dumps its ``datetime`` values; the gateway dumps the service's answer (already
    strings after RPC) through the same schema.
    """

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if isinstance(value, str):
            return value
        return super()._serialize(value, attr, obj, **kwargs)


class Day(fields.Date):
    """An ISO 8601 day; dumps a ``date`` or passes an ISO string through."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if isinstance(value, str):
            return value
        return super()._serialize(value, attr, obj, **kwargs)
