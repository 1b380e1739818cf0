# SPDX-License-Identifier: EUPL-1.2
"""Entrypoints of the profile service."""
from __future__ import annotations

from typing import Any

from nameko.rpc import rpc

from loket_common import health
from loket_common.outbox import OutboxRelay
from loket_common.tenant import checked_tenant
from loket_common.validation import load

from .dependencies import ProfileDatabase
from .exceptions import NotAuthenticated
from .schemas import NewProfileSchema, ProfileSchema


class ProfileService(health.HealthMixin):
    """Residents' own data."""

    name = "profile"

    store = ProfileDatabase()
    relay = OutboxRelay()

    @rpc
    def create_profile(self, tenant: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Create a profile; the answer holds the profile and its secret access token."""
        data = load(NewProfileSchema(), payload)
        profile, token = self.store.create(checked_tenant(tenant), data)
        self.relay.nudge()
        return {"profile": ProfileSchema().dump(profile), "token": token}

    @rpc
    def get_own_profile(self, tenant: str, token: str) -> dict[str, Any]:
        """The profile opened by ``token``."""
        profile = self.store.by_token(checked_tenant(tenant), str(token or ""))
        if profile is None:
            raise NotAuthenticated("No profile for this token.")
        return ProfileSchema().dump(profile)

    @rpc
    def sign_in(self, tenant: str, subject: str, claims: dict[str, Any]) -> dict[str, Any]:
        """A resident signed in at the gateway; answers ``{"subject": subject}``.

        Interim: the profile service's own branch replaces this with the real one.
        """
        checked_tenant(tenant)
        return {"subject": str(subject)}
