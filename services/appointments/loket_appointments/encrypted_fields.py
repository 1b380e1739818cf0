# SPDX-License-Identifier: EUPL-1.2
"""The appointments service's encrypted fields (for ``loket-rotate-data-keys appointments``)."""

ENCRYPTED_FIELDS: dict[str, list[str]] = {
    "bookings": ["contact"],
    "lottery_entries": ["contact"],
}
