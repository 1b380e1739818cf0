# SPDX-License-Identifier: EUPL-1.2
r"""JSON from outside, read strictly: nesting at most :data:`MAX_DEPTH`, no lone surrogates.

Python's parser gives up with a ``RecursionError`` about 1,000 levels deep, and keeps a
lone surrogate (an escape such as ``"\ud800"``) as a string that cannot be encoded as
UTF-8 later (for the broker, the database, a page). Both are refused here, at the edge, as ``400
malformed_json``: the API's request bodies (``openapi.RequestParser``), every
``request.get_json()`` (:class:`StrictJSONProvider`) and JSON a client sends inside a
token or a form field (:func:`strict_loads`).
"""
from __future__ import annotations

import json
import re
from typing import Any

from flask.json.provider import DefaultJSONProvider

from .errors import MalformedJson

# Loket's deepest body (an office with opening hours) is 4 levels; this leaves room.
MAX_DEPTH = 32
SURROGATE = re.compile("[\ud800-\udfff]")


def strict_loads(text: str | bytes) -> Any:
    """``json.loads``, but too deep or with a lone surrogate is :class:`MalformedJson`.

    Broken JSON stays a ``ValueError`` (``json.JSONDecodeError``), as from ``json.loads``.
    """
    try:
        value = json.loads(text)
    except RecursionError:
        raise _too_deep() from None
    checked(value)
    return value


def checked(value: Any) -> Any:
    """``value`` if it nests at most :data:`MAX_DEPTH` deep and has no lone surrogate."""
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:  # a loop, not recursion: the depth is what is being checked
        item, depth = pending.pop()
        if isinstance(item, str):
            if SURROGATE.search(item):
                raise MalformedJson("A string in the JSON holds a lone surrogate (e.g. "
                                    "\\ud800), which is not text.", invalid_params=[])
        elif isinstance(item, (dict, list)):
            if depth >= MAX_DEPTH:
                raise _too_deep()
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in children)
    return value


def _too_deep() -> MalformedJson:
    return MalformedJson(f"The JSON nests deeper than {MAX_DEPTH} levels.", invalid_params=[])


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's JSON with :func:`strict_loads`: ``request.get_json()`` refuses such JSON too."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """As :func:`strict_loads` (``MalformedJson`` is a ``ValueError``, as Flask expects)."""
        return strict_loads(s)
