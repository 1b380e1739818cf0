# SPDX-License-Identifier: EUPL-1.2
"""Placeholder of the rendering branch: only ``Attachment`` of the delivery interface.

The delivery branch owns this module (COMMON.md, "Interface: delivery"); on merge take its
version whole. The renderer needs nothing but this class.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Attachment:
    """A file attached to a message."""

    filename: str
    content_type: str
    data: bytes
