# SPDX-License-Identifier: EUPL-1.2
"""The profile service's settings: the common ones plus its database and the erasure round."""
from __future__ import annotations

from typing import Any

from loket_common.settings import CommaList, ServiceSettings, variable

from .erasure import DEFAULT_SERVICES


class Settings(ServiceSettings):
    """What the profile service reads from the environment."""

    mongo_database: str = variable("PROFILE_MONGO_DATABASE", "loket_profile",
                                   "its database")
    erasure_services: CommaList = variable(
        "ERASURE_SERVICES", DEFAULT_SERVICES,
        "the services that must confirm an erasure before the request is completed (see "
        "[docs/data-protection.md](docs/data-protection.md))",
        form="service names separated by commas", min_length=1)

    def nameko_config(self) -> dict[str, Any]:
        """The common config plus what the erasure round reads."""
        return {**super().nameko_config(), "ERASURE_SERVICES": list(self.erasure_services)}
