# SPDX-License-Identifier: EUPL-1.2
"""The profile service's settings: the common ones, its database, the erasure round, the key."""
from __future__ import annotations

from typing import Any

from pydantic import field_validator

from loket_common.sealing import NOTIFICATIONS_PUBLIC_KEY_VARIABLE, check_public_key
from loket_common.settings import CommaList, ServiceSettings, variable

from .erasure import DEFAULT_SERVICES

# As appointments documents it (one row in README's table for both).
NOTIFICATIONS_KEY_MEANING = (
    "public key of the notifications service: manage and status tokens in events, and an "
    "erased person's contact, are sealed to it, never sent in plain; its private key "
    "`LOKET_NOTIFICATIONS_PRIVATE_KEY` is the notifications service's alone "
    "([docs/data-protection.md](docs/data-protection.md))")


class Settings(ServiceSettings):
    """What the profile service reads from the environment."""

    mongo_database: str = variable("PROFILE_MONGO_DATABASE", "loket_profile",
                                   "its database")
    erasure_services: CommaList = variable(
        "ERASURE_SERVICES", DEFAULT_SERVICES,
        "the services that must confirm an erasure before the request is completed (see "
        "[docs/data-protection.md](docs/data-protection.md))",
        form="service names separated by commas", min_length=1)
    notifications_public_key: str = variable(
        NOTIFICATIONS_PUBLIC_KEY_VARIABLE, ..., NOTIFICATIONS_KEY_MEANING,
        form="32 bytes in URL-safe base64",
        shown="(required; `make run` and the tests make their own)")

    @field_validator("notifications_public_key")
    @classmethod
    def _usable_key(cls, value: str) -> str:
        return check_public_key(value)

    def nameko_config(self) -> dict[str, Any]:
        """The common config plus what the erasure round reads."""
        return {**super().nameko_config(), "ERASURE_SERVICES": list(self.erasure_services)}
