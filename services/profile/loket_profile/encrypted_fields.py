# SPDX-License-Identifier: EUPL-1.2
"""Where the profile service keeps encrypted personal data (for ``loket-rotate-data-keys``)."""

ENCRYPTED_FIELDS: dict[str, list[str]] = {
    "profiles": ["personal"],
    "businesses": ["details"],
    "access_log": ["details"],
}
