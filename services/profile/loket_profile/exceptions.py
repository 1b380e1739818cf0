# SPDX-License-Identifier: EUPL-1.2
"""Errors of the profile service."""
from loket_common.errors import LoketError


class NotAuthenticated(LoketError):
    """No valid profile token was presented."""

    code = "not_authenticated"
