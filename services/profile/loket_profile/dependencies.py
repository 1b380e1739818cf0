# SPDX-License-Identifier: EUPL-1.2
"""The profile store: the service's collections, each behind its own module's verbs."""
from __future__ import annotations

from functools import cached_property

from pymongo.client_session import ClientSession

from loket_common.handlers import ensure_handled_index
from loket_common.mongo import MongoDatabase, Store

from .access_log import AccessLog
from .businesses import Businesses
from .consents import Consents
from .erasure import Erasures
from .profiles import Profiles
from .staff_contacts import StaffContacts


class ProfileStore(Store):
    """Profiles, businesses, consents, access log, erasure requests, staff contacts."""

    @cached_property
    def profiles(self) -> Profiles:
        """Person profiles."""
        return Profiles(self.database, self.cipher)

    @cached_property
    def businesses(self) -> Businesses:
        """Business profiles and representatives."""
        return Businesses(self.database, self.cipher)

    @cached_property
    def consents(self) -> Consents:
        """Consents and their history."""
        return Consents(self.database)

    @cached_property
    def access_log(self) -> AccessLog:
        """Who read whose data."""
        return AccessLog(self.database, self.cipher)

    @cached_property
    def erasures(self) -> Erasures:
        """Erasure requests and confirmations."""
        return Erasures(self.database, self.cipher)

    @cached_property
    def staff_contacts(self) -> StaffContacts:
        """Staff members' contacts (not residents' data: untouched by erasure)."""
        return StaffContacts(self.database, self.cipher)

    def ensure_indexes(self) -> None:
        """Indexes start with the tenant."""
        for part in (self.profiles, self.businesses, self.consents, self.access_log,
                     self.erasures, self.staff_contacts):
            part.ensure_indexes()
        ensure_handled_index(self.database)

    def erase_subject(self, tenant: str, subject: str,
                      session: ClientSession) -> tuple[dict[str, int], dict[str, int]]:
        """Delete what profile holds of ``subject``; (deleted, anonymised) counts by collection."""
        deleted = {"profiles": self.profiles.erase(tenant, subject, session),
                   "consents": self.consents.erase(tenant, subject, session),
                   "access_log": self.access_log.erase(tenant, subject, session)}
        gone, left = self.businesses.erase(tenant, subject, session)
        deleted["businesses"] = gone
        self.cipher.destroy(tenant, [subject], session)  # shreds every copy of the person
        return deleted, {"businesses": left}


class ProfileDatabase(MongoDatabase):
    """Workers get a :class:`ProfileStore`."""

    store_class = ProfileStore
