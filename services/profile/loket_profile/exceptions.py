# SPDX-License-Identifier: EUPL-1.2
"""Errors of the profile service; each declares its status, stable code and title."""
from loket_common.errors import Conflict, NotFound


class ProfileNotFound(NotFound):
    """No profile for this subject in this tenant (the resident never signed in, or erased)."""

    status, code, title = 404, "profile_not_found", "No profile"


class BusinessNotFound(NotFound):
    """No such business, or the caller does not represent it (we do not tell which)."""

    status, code, title = 404, "business_not_found", "No such business"


class ErasureInProgress(Conflict):
    """The resident's data is being erased: no sign-in may recreate it meanwhile."""

    status, code, title = 409, "erasure_in_progress", "Erasure in progress"
