# SPDX-License-Identifier: EUPL-1.2
"""The permits store: application types (from files) and cases (in MongoDB)."""
from __future__ import annotations

from typing import Any

from pymongo.database import Database

from loket_common.crypto import DataCipher
from loket_common.data_protection import erase_once
from loket_common.events import Event
from loket_common.handlers import ensure_handled_index
from loket_common.key_vault import KeyVault
from loket_common.mongo import MongoDatabase, Store

from .case_events import SOURCE
from .cases import CaseDesk, ensure_case_indexes
from .resident_data import ResidentData
from .type_catalogue import TypeCatalogue


class PermitsStore(Store):
    """The tenant's application types and a desk for its applications."""

    def __init__(self, database: Database, types: TypeCatalogue | None = None,
                 cipher: DataCipher | None = None, vault: KeyVault | None = None) -> None:
        super().__init__(database, cipher, vault)
        self.types = types or TypeCatalogue.load()

    def ensure_indexes(self) -> None:
        """Every index starts with the tenant."""
        ensure_case_indexes(self.database)
        ensure_handled_index(self.database)

    def permit_types(self, tenant: str) -> list[dict[str, Any]]:
        """The application types ``tenant`` offers, by id."""
        return self.types.types(tenant)

    def permit_type(self, tenant: str, type_id: str) -> dict[str, Any]:
        """One application type of ``tenant`` (NotFound if it does not offer it)."""
        return self.types.get(tenant, type_id)

    def desk(self, tenant: str) -> CaseDesk:
        """The applications of ``tenant``."""
        return CaseDesk(self.database, tenant, self.types, cipher=self.cipher)

    def resident_data(self, tenant: str) -> ResidentData:
        """A resident's applications for export and erasure in ``tenant``."""
        return ResidentData(self.desk(tenant))

    def export_subject(self, tenant: str, subject: str) -> dict[str, Any]:
        """Every application of the resident with history and files, as plain JSON."""
        return self.resident_data(tenant).export(subject)

    def erase_subject(self, event: Event) -> bool:
        """Handle ``profile.erasure_requested`` once: erase, then ``erasure_completed``."""
        return erase_once(self.database, event, SOURCE, self.resident_data(event.tenant).erase)


class PermitsDatabase(MongoDatabase):
    """Workers get a :class:`PermitsStore`; the definitions are read once, at setup.

    ``DEFINITIONS_DIR`` in the container config (from ``PERMITS_DEFINITIONS_DIR``, see
    :mod:`.settings`) names the directory of definition files; unset or empty means the
    package's own ``definitions/``.
    """

    store_class = PermitsStore

    def setup(self) -> None:
        super().setup()
        self.types = TypeCatalogue.load(self.container.config.get("DEFINITIONS_DIR") or None)

    def get_dependency(self, worker_ctx: Any) -> PermitsStore:
        return PermitsStore(self.database, self.types, vault=self.vault)
