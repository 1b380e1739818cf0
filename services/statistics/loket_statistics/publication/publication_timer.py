# SPDX-License-Identifier: EUPL-1.2
"""Placeholder of the skeleton (filled in by its owner)."""
from __future__ import annotations


class PublicationTimer:
    """No entrypoints yet."""
