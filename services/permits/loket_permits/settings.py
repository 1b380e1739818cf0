# SPDX-License-Identifier: EUPL-1.2
"""The permits service's settings: the common ones plus its database and definition files."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from loket_common.settings import ServiceSettings, variable


class Settings(ServiceSettings):
    """What the permits service reads from the environment."""

    mongo_database: str = variable("PERMITS_MONGO_DATABASE", "loket_permits",
                                   "its database")
    definitions_dir: Path | None = variable(
        "PERMITS_DEFINITIONS_DIR", None, "the application types' data files (base types and "
        "tenant overlays, read at start)", form="a directory", shown="the package's `definitions/`")

    def nameko_config(self) -> dict[str, Any]:
        """The common config plus what ``PermitsDatabase`` reads."""
        config = super().nameko_config()
        if self.definitions_dir:
            config["DEFINITIONS_DIR"] = str(self.definitions_dir)
        return config
