# SPDX-License-Identifier: EUPL-1.2
"""The local system's keys of personal data and pseudonyms, made once per var directory.

They are kept beside the data (``var/local-keys.json``, readable by the owner only) so the
data of an earlier ``make run`` still decrypts. Production keys come from the deployment's
environment (``.env`` for compose), never from a file in the repository.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from loket_common.crypto import new_key
from loket_common.sealing import (
    NOTIFICATIONS_PRIVATE_KEY_VARIABLE,
    NOTIFICATIONS_PUBLIC_KEY_VARIABLE,
    new_keypair,
)

# Keys only their own service may hold: never in the environment every process gets.
PRIVATE = (NOTIFICATIONS_PRIVATE_KEY_VARIABLE,)


def _fresh_keys() -> dict[str, str]:
    public, private = new_keypair()
    return {"LOKET_DATA_KEYS": "*=" + new_key(), "LOKET_INDEX_KEY": new_key(),
            "LOKET_PSEUDONYM_KEY": new_key(),
            NOTIFICATIONS_PUBLIC_KEY_VARIABLE: public, NOTIFICATIONS_PRIVATE_KEY_VARIABLE: private}


def local_keys(var_dir: Path) -> dict[str, str]:
    """The keys of this var directory, made on first use (a key missing is added).

    ``LOKET_DATA_KEYS``, ``LOKET_INDEX_KEY``, ``LOKET_PSEUDONYM_KEY`` (the gateway's:
    residents' subjects) and the notifications service's key pair (its private key is
    only for that service, see :func:`shared_keys`).
    """
    path = var_dir / "local-keys.json"
    keys = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    missing = {name: key for name, key in _fresh_keys().items() if name not in keys}
    if not missing:
        return keys
    keys.update(missing)
    var_dir.mkdir(parents=True, exist_ok=True)
    written = path.with_suffix(".new")
    descriptor = os.open(written, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump(keys, file)
    os.replace(written, path)
    return keys


def shared_keys(var_dir: Path) -> dict[str, str]:
    """The keys every local process gets: :func:`local_keys` without the private ones."""
    return {name: key for name, key in local_keys(var_dir).items() if name not in PRIVATE}
