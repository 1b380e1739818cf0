# SPDX-License-Identifier: EUPL-1.2
"""Errors of the permits service; each ``code`` is stable (gateway's ERROR_TABLE)."""
from loket_common.errors import Conflict, ValidationFailed


class TransitionNotAllowed(Conflict):
    """The application's workflow does not allow this step now (or someone was faster)."""

    code = "transition_not_allowed"


class DraftIncomplete(ValidationFailed):
    """Required fields or documents are missing; ``invalid_params`` names each."""

    code = "application_incomplete"


class AttachmentRejected(ValidationFailed):
    """The file is too large or of a type the document does not accept (field ``file``)."""

    code = "attachment_rejected"
