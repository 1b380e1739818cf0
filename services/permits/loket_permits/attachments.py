# SPDX-License-Identifier: EUPL-1.2
"""Checking an uploaded file: its type from its content (magic bytes), its size.

The file name is never trusted: a ``.pdf`` holding PNG bytes is a PNG. Files
are kept by the service in its own collection (see ``cases.py``), each under
10 MB, so one document with BSON binary holds one file.
"""
from __future__ import annotations

import base64
import binascii
from typing import Any

import filetype

from .exceptions import AttachmentRejected

MAX_BYTES = 10_000_000


def _rejected(reason: str, **extra: Any) -> AttachmentRejected:
    return AttachmentRejected("The file was not accepted.",
                              invalid_params=[{"name": "file", "reason": reason}], **extra)


def decoded(content_base64: Any) -> bytes:
    """The bytes of a base64 upload; AttachmentRejected if it is not base64 or too large."""
    if not isinstance(content_base64, str) or len(content_base64) > MAX_BYTES * 4 // 3 + 4:
        raise _rejected(f"The file must be base64 and at most {MAX_BYTES} bytes.")
    try:
        return base64.b64decode(content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise _rejected("The file is not valid base64.") from None


def content_type(content: bytes) -> str | None:
    """The MIME type the content's magic bytes show, or None if unknown."""
    return filetype.guess_mime(content)


def checked_file(document: dict[str, Any], content: bytes) -> str:
    """The detected content type, if the file fits ``document``'s size and type limits."""
    if not content:
        raise _rejected("The file is empty.")
    if len(content) > min(document["max_bytes"], MAX_BYTES):
        raise _rejected(f"The file is larger than {document['max_bytes']} bytes.",
                        max_bytes=document["max_bytes"])
    detected = content_type(content)
    if detected is None or detected not in document["content_types"]:
        raise _rejected(f"Files of type {detected or 'unknown'} are not accepted here; "
                        f"accepted: {', '.join(document['content_types'])}.",
                        content_type=detected)
    return detected
