# SPDX-License-Identifier: EUPL-1.2
"""The statistics service's errors: each with its HTTP status and stable code."""
from __future__ import annotations

from loket_common.errors import Conflict, NotFound, ValidationFailed


class VersionConflict(Conflict):
    """The settings changed since the caller read them (``expected_version`` is stale)."""

    status, code, title = 409, "version_conflict", "Changed meanwhile"


class UnknownProcess(ValidationFailed):
    """A counter transaction names a process that is not in the tenant's catalogue."""

    status, code, title = 400, "unknown_process", "Unknown process"


class ChannelNotOffered(ValidationFailed):
    """A counter transaction names a channel the tenant does not count."""

    status, code, title = 400, "channel_not_offered", "Channel not counted"


class TenantNotConfigured(NotFound):
    """The tenant has no statistics file."""

    status, code, title = 404, "statistics_tenant_unknown", "Unknown municipality"
