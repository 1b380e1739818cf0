# SPDX-License-Identifier: EUPL-1.2
"""A service's own options as its dependencies read them back from Nameko's config.

A service's ``settings.py`` declares the environment variables; a frozen dataclass derived
from :class:`ServiceOptions` holds their defaults and names their prefix, so tests may start
the service with the common config only.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any, ClassVar, Self


@dataclass(frozen=True)
class ServiceOptions:
    """Base of ``<SERVICE>_*`` option dataclasses; subclasses set ``PREFIX`` and the fields."""

    PREFIX: ClassVar[str] = ""

    def config(self) -> dict[str, Any]:
        """These options as Nameko config entries (``<PREFIX><NAME>``)."""
        return {self.PREFIX + name.upper(): value for name, value in asdict(self).items()}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Self:
        """The options in ``config``; a missing entry keeps its default."""
        values: dict[str, Any] = {}
        for field in fields(cls):
            key = cls.PREFIX + field.name.upper()
            if config.get(key) not in (None, ""):
                kind = type(getattr(cls, field.name))
                values[field.name] = kind(config[key])
        return cls(**values)
