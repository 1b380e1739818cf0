# SPDX-License-Identifier: EUPL-1.2
"""Errors of the permits service; each declares its status, stable code and title."""
from loket_common.errors import Conflict, ValidationFailed


class TransitionNotAllowed(Conflict):
    """The application's workflow does not allow this step now (or someone was faster)."""

    status, code, title = 409, "transition_not_allowed", "Not possible in this state"


class DraftIncomplete(ValidationFailed):
    """Required fields or documents are missing; ``invalid_params`` names each."""

    status, code, title = 400, "application_incomplete", "Application incomplete"


class AttachmentRejected(ValidationFailed):
    """The file is too large or of a type the document does not accept (field ``file``)."""

    status, code, title = 400, "attachment_rejected", "Attachment rejected"
