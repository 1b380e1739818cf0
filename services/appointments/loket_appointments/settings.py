# SPDX-License-Identifier: EUPL-1.2
"""The appointments service's settings: the common ones plus holds, reminders and its timer."""
from __future__ import annotations

from typing import Any

from pydantic import field_validator

from loket_common.sealing import NOTIFICATIONS_PUBLIC_KEY_VARIABLE, check_public_key
from loket_common.settings import LoketSettings, ServiceSettings, variable

from .booking_desk import DeskSettings

# The same text documents the variable for every service that reads it (README's table).
NOTIFICATIONS_KEY_MEANING = (
    "public key of the notifications service: manage and status tokens in events, and an "
    "erased person's contact, are sealed to it, never sent in plain; its private key "
    "`LOKET_NOTIFICATIONS_PRIVATE_KEY` is the notifications service's alone "
    "([docs/data-protection.md](docs/data-protection.md))")


class TimerSettings(LoketSettings):
    """The timer's interval, which Nameko's ``@timer`` needs at import (``timers.py``)."""

    timer_seconds: float = variable("APPOINTMENTS_TIMER_SECONDS", 5,
                                    "how often holds expire and reminders are checked", gt=0)


class Settings(ServiceSettings, TimerSettings):
    """What the appointments service reads from the environment."""

    mongo_database: str = variable("APPOINTMENTS_MONGO_DATABASE", "loket_appointments",
                                   "its database")
    hold_seconds: int = variable("HOLD_SECONDS", DeskSettings.hold_seconds,
                                 "how long a hold keeps a slot before it is freed again", ge=1)
    holds_per_client: int = variable("HOLDS_PER_CLIENT", DeskSettings.holds_per_client,
                                     "holds one client address may have at once", ge=1)
    reminder_hours: int = variable(
        "REMINDER_HOURS", DeskSettings.reminder_hours,
        "when `appointment_reminder_due` is emitted before an appointment", ge=1)
    notifications_public_key: str = variable(
        NOTIFICATIONS_PUBLIC_KEY_VARIABLE, ..., NOTIFICATIONS_KEY_MEANING,
        form="32 bytes in URL-safe base64",
        shown="(required; `make run` and the tests make their own)")

    @field_validator("notifications_public_key")
    @classmethod
    def _usable_key(cls, value: str) -> str:
        return check_public_key(value)

    def nameko_config(self) -> dict[str, Any]:
        """The common config plus what ``AppointmentsDatabase`` reads."""
        return {**super().nameko_config(), "HOLD_SECONDS": self.hold_seconds,
                "HOLDS_PER_CLIENT": self.holds_per_client, "REMINDER_HOURS": self.reminder_hours}
