# SPDX-License-Identifier: EUPL-1.2
"""``loket-permits-seed``: check the definition files, create the indexes, seal old data.

Application types are data files read at service start (see ``type_catalogue``),
so nothing is seeded into the database any more; the command stays so that
``make run`` and docker-compose fail early on a broken definition file.
Reads the service's settings (``MONGO_URI``, ``PERMITS_MONGO_DATABASE``,
``PERMITS_DEFINITIONS_DIR``, the keys; see :mod:`.settings`).
"""
from __future__ import annotations

from loket_common.mongo import connect

from .dependencies import PermitsStore
from .sealing import seal_plaintext_applications
from .settings import Settings
from .type_catalogue import TypeCatalogue


def main() -> None:
    """Load and layer every tenant's types, then ensure the indexes."""
    settings = Settings()
    types = TypeCatalogue.load(settings.definitions_dir)
    client = connect(settings.mongo_uri)
    database = client[settings.mongo_database]
    store = PermitsStore(database, types)
    store.ensure_indexes()
    sealed = seal_plaintext_applications(database, store.cipher)
    client.close()
    offered = {tenant: len(types.types(tenant)) for tenant in ("musterstadt", "beispielstadt")}
    print(f"permits: definitions valid ({offered}), indexes ensured, "
          f"{sealed} older applications and files encrypted")


if __name__ == "__main__":
    main()
