# SPDX-License-Identifier: EUPL-1.2
"""The notifications service's errors, each with its HTTP status and stable code."""
from __future__ import annotations

from loket_common.errors import Conflict, NotFound


class MessageNotFound(NotFound):
    """No message with this id in this tenant."""

    code, title = "message_not_found", "Message not found"


class KindNotFound(NotFound):
    """No kind of message with this id."""

    code, title = "kind_not_found", "Kind of message not found"


class NotResendable(Conflict):
    """Only a message that failed for good (or bounced) can be sent again."""

    code, title = "message_not_resendable", "This message cannot be sent again"
