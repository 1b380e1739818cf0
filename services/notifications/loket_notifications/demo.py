# SPDX-License-Identifier: EUPL-1.2
"""``loket-notifications-seed``: nothing to seed but the indexes.

In the database named by ``MONGO_URI`` and ``NOTIFICATIONS_MONGO_DATABASE``; the tenant files
are read too, so a bad one is named here.
"""
from __future__ import annotations

from loket_common.mongo import connect

from .dependencies import NotificationsStore
from .settings import Settings
from .tenant_config import TenantConfigs


def main() -> None:
    """Create the indexes; read every tenant file (a bad one stops here, named)."""
    settings = Settings()
    tenants = TenantConfigs(settings.config_dir or None)
    client = connect(settings.mongo_uri)
    NotificationsStore(client[settings.mongo_database]).ensure_indexes()
    client.close()
    print(f"notifications: indexes ready; tenants {', '.join(tenants.ids())}")


if __name__ == "__main__":
    main()
