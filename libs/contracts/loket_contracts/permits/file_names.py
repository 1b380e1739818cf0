# SPDX-License-Identifier: EUPL-1.2
"""An uploaded file's name as Loket keeps and shows it: what a person sees is what it is.

Any letters, digits, punctuation and emoji stay (German names with umlauts and dashes are
the normal case). Cleaned away: control characters (NUL, tab, line breaks, DEL, C1),
line and paragraph separators, the byte order mark and the bidirectional controls (an RTL
override makes ``rechnung<U+202E>gnp.exe`` look like ``rechnungexe.png``); a path separator
becomes ``_``; decomposed letters (as macOS sends them) are composed (NFC); surrounding
white space goes. Refused (``validation_failed`` on ``filename``): a name with nothing
left, and one longer than :data:`MAX_LENGTH` characters after cleaning.
"""
from __future__ import annotations

import unicodedata
from typing import Any

from marshmallow import ValidationError, fields

MAX_LENGTH = 200
# Unicode categories removed: controls, surrogates (never valid text), line/paragraph seps.
REMOVED_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})
# Format characters that reorder or hide text (the rest of Cf, e.g. the zero-width joiner
# inside emoji, stays).
REMOVED_FORMATS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")
SEPARATORS = str.maketrans({"/": "_", "\\": "_"})


def clean_file_name(name: str) -> str:
    """``name`` without what could hide or fake its meaning (see the module); may be ''."""
    composed = unicodedata.normalize("NFC", name)
    kept = "".join(char for char in composed if char not in REMOVED_FORMATS
                   and unicodedata.category(char) not in REMOVED_CATEGORIES)
    return kept.translate(SEPARATORS).strip()


class FileName(fields.String):
    """A file name, cleaned when loaded (refused if empty or too long) and when dumped."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        cleaned = clean_file_name(super()._deserialize(value, attr, data, **kwargs))
        if not cleaned:
            raise ValidationError("The file name has no visible character.")
        if len(cleaned) > MAX_LENGTH:
            raise ValidationError(f"The file name is longer than {MAX_LENGTH} characters.")
        return cleaned

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        shown = super()._serialize(value, attr, obj, **kwargs)
        return None if shown is None else clean_file_name(shown)
