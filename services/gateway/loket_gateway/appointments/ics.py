# SPDX-License-Identifier: EUPL-1.2
"""A booking as an iCalendar file (RFC 5545): the shared ``loket_common.booking_calendar``.

The notifications service attaches the same file to its emails, so it is built there; this
module keeps the gateway's import path.
"""
from __future__ import annotations

from loket_common.booking_calendar import (
    LABELS,
    ORGANIZER_ADDRESS,
    PRODID,
    REMINDER_BEFORE,
    booking_to_ics,
)

__all__ = ["LABELS", "ORGANIZER_ADDRESS", "PRODID", "REMINDER_BEFORE", "booking_to_ics"]
