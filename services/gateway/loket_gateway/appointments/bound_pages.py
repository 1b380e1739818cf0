# SPDX-License-Identifier: EUPL-1.2
"""Booking pages of services with ``identity_required``: sign in first, at the right level.

Such a service is held, booked, moved and cancelled only by a resident signed in at its
trust level (the appointments service refuses everyone else); these pages send a resident
who is not to the sign-in (or step-up) and back to where they were.
"""
from __future__ import annotations

from flask import redirect, url_for
from werkzeug.wrappers import Response

from ..identity.access import Resident, page_resident
from ..identity.trust_levels import reaches

# The service's refusals that a sign-in (at a higher level) answers.
SIGN_IN_CODES = ("identity_required", "trust_level_too_low")


def signed_in_enough(level: str | None) -> Resident | None:
    """The page's resident if ``level`` is None or their sign-in reaches it, else None."""
    resident = page_resident()
    if level is None or (resident is not None and reaches(resident.trust_level, level)):
        return resident
    return None


def needs_sign_in(level: str | None, back: str) -> Response | None:
    """A redirect to the sign-in at ``level`` (coming back to ``back``), or None if enough."""
    if level is None or signed_in_enough(level) is not None:
        return None
    return sign_in_redirect(level, back)


def sign_in_redirect(level: str, back: str) -> Response:
    """303 to the residents' sign-in asking for ``level``, then back to ``back``."""
    return redirect(url_for("sign_in.resident_sign_in", next=back, level=level), code=303)
