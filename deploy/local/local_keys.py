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


def local_keys(var_dir: Path) -> dict[str, str]:
    """``LOKET_DATA_KEYS``, ``LOKET_INDEX_KEY``, ``LOKET_PSEUDONYM_KEY`` of this var directory.

    Made on first use; the pseudonym key is the gateway's (residents' subjects).
    """
    path = var_dir / "local-keys.json"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    keys = {"LOKET_DATA_KEYS": "*=" + new_key(), "LOKET_INDEX_KEY": new_key(),
            "LOKET_PSEUDONYM_KEY": new_key()}
    var_dir.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump(keys, file)
    return keys
