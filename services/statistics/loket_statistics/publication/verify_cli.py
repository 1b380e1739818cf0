# SPDX-License-Identifier: EUPL-1.2
"""``loket-statistics-verify [--tenant T ...]``: check every release chain in the database.

Reads the statistics database directly (``MONGO_URI`` and ``STATISTICS_MONGO_DATABASE``,
from the service's own settings, as the service reads them), so it needs no running
service and trusts nothing the service says. For each tenant it recomputes every file's
SHA-256, every release hash and every link; it prints each problem and exits 1 on any.
"""
from __future__ import annotations

from collections.abc import Callable

from pymongo.database import Database

from loket_common.mongo import connect

from ..settings import Settings
from .chain import verify
from .command_line import parser_with_tenants, say
from .release_store import RELEASES, ReleaseStore


def verify_tenants(database: Database, tenants: list[str] | None,
                   out: Callable[[str], None] = say) -> bool:
    """Verify the chains of ``tenants`` (default: every tenant with releases); True if sound."""
    chosen = tenants or sorted(database[RELEASES].distinct("tenant"))
    broken = []
    for tenant in chosen:
        releases = ReleaseStore(database, tenant).all(with_content=True)
        problems = verify(releases)
        newest = releases[0]["release_hash"] if releases else "-"
        out(f"{tenant}: {len(releases)} releases, "
            + (f"{len(problems)} problems" if problems else f"chain ok, newest {newest}"))
        for problem in problems:
            out(f"{tenant}:   {problem}")
        if problems:
            broken.append(tenant)
    out(f"done: {len(chosen)} tenants verified, "
        + (f"broken: {', '.join(broken)}" if broken else "every chain holds"))
    return not broken


def main(argv: list[str] | None = None) -> None:
    """Command line entry."""
    parser = parser_with_tenants("loket-statistics-verify", __doc__)
    args = parser.parse_args(argv)
    settings = Settings()
    client = connect(settings.mongo_uri)
    try:
        ok = verify_tenants(client[settings.mongo_database], args.tenant)
    finally:
        client.close()
    raise SystemExit(0 if ok else 1)
