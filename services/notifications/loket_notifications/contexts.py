# SPDX-License-Identifier: EUPL-1.2
"""What a template is given per kind: the owner's facts, the links, the event's facts.

Exactly the contexts of the rendering interface (``rendering/contexts.py`` documents them):
every kind gets ``recipient`` {name} and ``language``; booking kinds ``booking``,
``manage_url``, ``previous_start``, ``cancelled_by``; lottery kinds ``entry``, ``status_url``,
``manage_url``, ``search_url``; permit kinds ``application``, ``status_url`` (and ``from``,
``to``); ``erasure_completed`` ``completed_at``; ``case_assigned`` ``application``,
``case_url``.
"""
from __future__ import annotations

from typing import Any

from . import links
from .links import Links, opened
from .recipients import BOOKING_KINDS, LOTTERY_KINDS, PERMIT_KINDS, Recipient


def context_for(message: dict[str, Any], recipient: Recipient, tenant: dict[str, Any],
                language: str, kept: Links, private_key: str) -> dict[str, Any]:
    """The template context of ``message`` for ``recipient`` in ``language``."""
    kind, facts = message["kind"], message.get("facts") or {}
    context: dict[str, Any] = {"recipient": {"name": recipient.name}, "language": language}
    if kind in BOOKING_KINDS:
        booking = recipient.facts["booking"]
        reference = booking.get("reference") or facts.get("reference")
        token = None
        if kind != "booking_cancelled":
            token = opened(private_key, message.get("sealed_token")
                           or kept.sealed_token("booking", reference))
        context.update(booking=booking,
                       manage_url=links.manage_url(tenant, language, reference, token),
                       previous_start=facts.get("previous_start"),
                       cancelled_by=facts.get("cancelled_by") or booking.get("cancelled_by"))
    elif kind in LOTTERY_KINDS:
        entry = recipient.facts["entry"]
        reference = entry.get("reference") or facts.get("entry_reference")
        status_token = opened(private_key, message.get("sealed_token")
                              if kind == "lottery_entered"
                              else kept.sealed_token("lottery_entry", reference))
        booking = entry.get("booking") or {}
        manage_token = (opened(private_key, message.get("sealed_token"))
                        if kind == "lottery_result" and booking else None)
        allocated = entry.get("state") == "allocated"
        context.update(
            entry=entry,
            status_url=links.lottery_status_url(tenant, language, reference, status_token),
            manage_url=links.manage_url(tenant, language, booking.get("reference") or "",
                                        manage_token) if allocated else None,
            search_url=None if allocated else links.search_url(tenant, language))
    elif kind in PERMIT_KINDS:
        application = recipient.facts["application"]
        context.update(application=application,
                       status_url=links.application_url(tenant, language, application["id"]))
        if kind == "permit_status_changed":
            context.update({"from": facts.get("from"), "to": facts.get("to")})
    elif kind == "erasure_completed":
        context["completed_at"] = facts.get("completed_at")
    elif kind == "case_assigned":
        application = recipient.facts["application"]
        context.update(application=application,
                       case_url=links.case_url(tenant, language, application["id"]))
    return context
