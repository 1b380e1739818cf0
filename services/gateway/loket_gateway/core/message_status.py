# SPDX-License-Identifier: EUPL-1.2
"""What the pages say about messages: kinds and states in words, and the last message's state.

The manage, lottery status and application pages show whether the last email about the
booking, entry or application arrived; a notifications service that does not answer must
not break them, so :func:`last_message` logs and answers None.
"""
from __future__ import annotations

import logging
from typing import Any

from flask import g
from flask_babel import gettext as _

from .rpc import services

log = logging.getLogger(__name__)

# States in which a case worker, a tenant admin or an operator may send a message again.
RESENDABLE = frozenset({"permanent_failure", "bounced"})


def kind_names() -> dict[str, str]:
    """Each kind of message (``loket_contracts.notifications.schemas.KINDS``) in words."""
    return {
        "booking_confirmed": _("Appointment confirmed"),
        "booking_moved": _("Appointment moved"),
        "booking_cancelled": _("Appointment cancelled"),
        "booking_reminder": _("Appointment reminder"),
        "lottery_entered": _("Lottery entry received"),
        "lottery_result": _("Lottery result"),
        "permit_submitted": _("Application received"),
        "permit_information_requested": _("Information requested for an application"),
        "permit_status_changed": _("Application status changed"),
        "permit_decided": _("Decision on an application"),
        "erasure_completed": _("Your data is erased"),
        "case_assigned": _("A case assigned to you"),
    }


def state_names() -> dict[str, str]:
    """Each state of a message (``MESSAGE_STATES``) in words."""
    return {
        "queued": _("waiting to be sent"),
        "sending": _("being sent"),
        "accepted": _("handed to the mail server"),
        "delivered": _("delivered"),
        "bounced": _("could not be delivered (the address bounced)"),
        "temporary_failure": _("not sent yet, tried again later"),
        "permanent_failure": _("could not be delivered"),
        "not_sent": _("not sent (no address, or you chose another way)"),
    }


def channel_names() -> dict[str, str]:
    """Each channel in words."""
    return {"email": _("Email"), "sms": _("Text message (SMS)")}


def names() -> dict[str, Any]:
    """For the templates: ``message_kinds``, ``message_states``, ``message_channels``."""
    return {"message_kinds": kind_names(), "message_states": state_names(),
            "message_channels": channel_names(), "resendable_states": RESENDABLE}


def last_message(about_kind: str, about_id: str) -> dict[str, Any] | None:
    """The newest message about a booking, entry or application (``MessageStatusSchema``).

    None when there is none, and when the notifications service does not answer (logged:
    the page shows nothing about the email then).
    """
    try:
        with services() as rpc:
            return rpc.notifications.last_message_about(g.tenant.id, about_kind, about_id)
    except Exception as error:  # noqa: BLE001 (the page goes on without it)
        log.warning("notifications.last_message_about failed: %s", type(error).__name__)
        return None
