# SPDX-License-Identifier: EUPL-1.2
"""The publication's errors, each with its HTTP status and stable code."""
from __future__ import annotations

from loket_common.errors import Conflict, LoketError, NotFound


class MonthNotOver(Conflict):
    """Only a month that is over can be published (Europe/Berlin)."""

    code, title = "month_not_over", "This month is not over yet"


class MonthNotPublished(Conflict):
    """A correction needs a release of the month to correct."""

    code, title = "month_not_published", "This month has not been published"


class NothingToCorrect(Conflict):
    """The figures of the month are those its newest release published."""

    code, title = "nothing_to_correct", "Nothing changed since the month was published"


class ReleaseNotFound(NotFound):
    """No release with this number in this tenant."""

    code, title = "release_not_found", "Release not found"


class ReleaseFileNotFound(NotFound):
    """The release has no file of this name."""

    code, title = "release_file_not_found", "Release file not found"


class PublicUrlNotSet(LoketError):
    """The tenant's public URL (which the DCAT-AP.de record names) is not configured."""

    status, code, title = 503, "public_url_not_set", "The municipality's public URL is not set"
