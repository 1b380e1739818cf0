# SPDX-License-Identifier: EUPL-1.2
"""Errors of the profile service (the gateway maps each class name to a status)."""
from loket_common.errors import Conflict, NotFound


class ProfileNotFound(NotFound):
    """No profile for this subject in this tenant (the resident never signed in, or erased)."""

    code = "profile_not_found"


class BusinessNotFound(NotFound):
    """No such business, or the caller does not represent it (we do not tell which)."""

    code = "business_not_found"


class ErasureInProgress(Conflict):
    """The resident's data is being erased: no sign-in may recreate it meanwhile."""

    code = "erasure_in_progress"
