# SPDX-License-Identifier: EUPL-1.2
"""The time as MongoDB stores it (milliseconds), so what we return equals what we read back."""
from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """The current UTC time, truncated to whole milliseconds."""
    current = datetime.now(UTC)
    return current.replace(microsecond=current.microsecond // 1000 * 1000)
