# SPDX-License-Identifier: EUPL-1.2
"""``make openapi``: the API document the code declares, written to ``docs/openapi.json``.

The committed file is what clients and reviewers read; a gateway test fails when it differs
from what the routes generate, so a change of the contract shows in the diff.
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
from pathlib import Path
from typing import Any

from loket_common.crypto import new_key

from .openapi import spec_document
from .settings import Settings

METHODS = {"get", "put", "post", "delete", "patch"}
COMMITTED = Path(__file__).resolve().parents[4] / "docs" / "openapi.json"


def generated() -> str:
    """The document as the routes declare it (stable JSON: sorted keys, two-space indent)."""
    # The document depends on no surroundings; a gateway with placeholder keys and an
    # unreachable broker declares the same routes as a deployed one.
    os.environ.setdefault("LOKET_DEV_IDP_URL", "http://127.0.0.1:9")
    os.environ.setdefault("LOKET_DEV_IDP_SECRET", secrets.token_hex(16))
    os.environ.setdefault("LOKET_MUSTERSTADT_PUBLIC_URL", "http://localhost")
    os.environ.setdefault("LOKET_BEISPIELSTADT_PUBLIC_URL", "http://beispielstadt.localhost")
    from ..app import create_app

    throwaway = secrets.token_hex(16)  # keys nothing is ever signed with
    app = create_app(Settings(amqp_uri="amqp://guest:guest@127.0.0.1:1/",
                              environment="development", secret=throwaway,
                              pseudonym_key=throwaway, rpc_keys=(new_key(),)))
    document: dict[str, Any] = spec_document(app)
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the document (default: the committed ``docs/openapi.json``)."""
    parser = argparse.ArgumentParser(prog="python -m loket_gateway.core.openapi_document",
                                     description=__doc__)
    parser.add_argument("path", nargs="?", type=Path, default=COMMITTED)
    target = parser.parse_args(argv).path
    text = generated()
    changed = not target.exists() or target.read_text() != text
    target.write_text(text)
    operations = sum(method in METHODS for item in json.loads(text)["paths"].values()
                     for method in item)
    print(f"{target}: {operations} operations, {'updated' if changed else 'unchanged'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
