# SPDX-License-Identifier: EUPL-1.2
"""The permits service's encrypted fields (for ``loket-rotate-data-keys permits``)."""

ENCRYPTED_FIELDS: dict[str, list[str]] = {
    "applications": ["applicant.name", "on_behalf_of", "data", "information_request.message",
                     "decision.reason", "history.reason", "attachments.filename"],
    "attachment_files": ["content"],
}
