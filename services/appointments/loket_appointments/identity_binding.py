# SPDX-License-Identifier: EUPL-1.2
"""Bookings bound to a person: services with ``identity_required`` (pure, no I/O).

Such a service is held and booked only by a resident signed in at its trust level. The
booking carries their ``subject`` and the level, its name comes from the sign-in (not typed,
so it matches the ID at the counter), it counts against the person (not an email address)
and only the same signed-in person can move or cancel it: the manage link alone can show
it, not hand it to someone else.
"""
from __future__ import annotations

from typing import Any

from loket_contracts.common import TRUST_LEVELS

from .exceptions import IdentityRequired, NotTransferable, TrustLevelTooLow


def reaches(level: str | None, minimum: str) -> bool:
    """Whether a sign-in at ``level`` is enough for ``minimum`` (unknown levels never are)."""
    return level in TRUST_LEVELS and TRUST_LEVELS.index(level) >= TRUST_LEVELS.index(minimum)


def check_signed_in(required: str | None, subject: str | None, level: str | None) -> None:
    """Raise unless ``required`` is None or the resident ``subject`` signed in at ``level``."""
    if required is None:
        return
    if not subject:
        raise IdentityRequired(f"This service can only be booked signed in (trust level "
                               f"'{required}' or higher).", required_level=required)
    if not reaches(level, required):
        raise TrustLevelTooLow(f"This service needs a sign-in at trust level '{required}' or "
                               f"higher.", required_level=required)


def holder_binding(service: dict[str, Any], holder: dict[str, Any] | None) -> dict[str, Any]:
    """What a hold of ``service`` by ``holder`` records (nothing for anonymous services)."""
    required = service.get("identity_required")
    check_signed_in(required, (holder or {}).get("subject"), (holder or {}).get("trust_level"))
    if required is None or holder is None:
        return {}
    return {"subject": holder["subject"], "identity_required": required}


def bound_contact(held: dict[str, Any], contact: dict[str, Any], subject: str | None,
                  level: str | None, identity_name: str | None) -> dict[str, Any]:
    """The contact a bound hold is confirmed with: the holder's, named as signed in."""
    required = held["identity_required"]
    check_signed_in(required, subject, level)
    if subject != held.get("subject"):
        raise NotTransferable("Only the person who held this time can book it.")
    name = (identity_name or "").strip()
    if not name:
        raise IdentityRequired("The sign-in gave no name; a bound booking needs the name "
                               "from the identity.", required_level=required)
    return {"name": name, "email": contact["email"], "language": contact["language"]}


def check_same_person(booking: dict[str, Any], holder: dict[str, Any] | None) -> None:
    """Raise unless ``booking`` is unbound or ``holder`` is its person at its level."""
    required = booking.get("identity_required")
    if required is None:
        return
    holder = holder or {}
    check_signed_in(required, holder.get("subject"), holder.get("trust_level"))
    if holder["subject"] != booking.get("subject"):
        raise NotTransferable("This booking is bound to the person who made it: only they, "
                              "signed in, can move or cancel it.")
