# SPDX-License-Identifier: EUPL-1.2
"""``loket-statistics-rebuild [--tenant T] [--year YYYY] [--check]``: cells from the facts.

Rebuilds the live cells of the chosen months (default: every tenant, every month) from the
fact history, while the service keeps counting (:mod:`.rebuild` says why that is safe).
``--check`` only compares and exits 1 when a cell differs. Progress goes to stderr, one
line per month; the summary to stdout.
"""
from __future__ import annotations

import argparse
import sys
import time

from loket_common.mongo import connect
from loket_common.tenant import checked_tenant

from .months import months_of_year
from .rebuild import MonthResult, rebuild_tenant, tenants_with_facts
from .settings import Settings


def parse(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="loket-statistics-rebuild",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--tenant", help="one tenant (default: every tenant with facts)")
    parser.add_argument("--year", type=int, help="the months of one year (default: all)")
    parser.add_argument("--check", action="store_true",
                        help="compare with the live cells, change nothing; exit 1 on a difference")
    args = parser.parse_args(argv)
    if args.year is not None and not 2000 <= args.year <= 9999:
        parser.error("--year: a year such as 2026")
    if args.tenant is not None:
        checked_tenant(args.tenant)
    return args


def main(argv: list[str] | None = None) -> None:
    """Rebuild or check; exit 1 when ``--check`` found a difference."""
    args = parse(argv)
    settings = Settings()
    client = connect(settings.mongo_uri)
    database = client[settings.mongo_database]
    months = months_of_year(args.year) if args.year is not None else None
    begun = time.monotonic()
    done = {"months": 0, "facts": 0}

    def progress(result: MonthResult) -> None:
        done["months"] += 1
        done["facts"] += result.facts
        print(f"{result.tenant} {result.month}: {result.facts} facts, {len(result.differing)} "
              f"cells {'differ' if args.check else 'changed'} ({done['months']} months, "
              f"{done['facts']} facts done)", file=sys.stderr, flush=True)

    results: list[MonthResult] = []
    try:
        for tenant in [args.tenant] if args.tenant else tenants_with_facts(database):
            results += rebuild_tenant(database, tenant, months, args.check, progress)
    finally:
        client.close()
    differing = sum(len(result.differing) for result in results)
    verb = "checked" if args.check else "rebuilt"
    print(f"{verb} {len(results)} months, {done['facts']} facts in "
          f"{time.monotonic() - begun:.1f} s: {differing} cells "
          f"{'differ' if args.check else 'changed'}")
    if args.check and differing:
        sys.exit(1)
