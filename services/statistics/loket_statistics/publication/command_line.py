# SPDX-License-Identifier: EUPL-1.2
"""What the publish and verify commands share: progress lines and the ``--tenant`` option."""
from __future__ import annotations

import argparse


def say(line: str) -> None:
    """One line of progress, at once (the commands may run for a while)."""
    print(line, flush=True)


def parser_with_tenants(prog: str, description: str | None) -> argparse.ArgumentParser:
    """An argument parser with ``--tenant`` (repeatable; none: every tenant)."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--tenant", action="append", help="a tenant (repeat for more; "
                                                          "default: every tenant)")
    return parser
