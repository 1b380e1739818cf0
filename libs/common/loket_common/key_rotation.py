# SPDX-License-Identifier: EUPL-1.2
"""Key rotation: re-encrypt a service's personal data with each tenant's current key.

Each service names its encrypted fields in ``loket_<service>/encrypted_fields.py`` as
``ENCRYPTED_FIELDS = {collection: [dotted.path, ...]}``; a path segment that meets a list
applies to each element. A value is a token from :class:`~loket_common.crypto.DataCipher`
(``str`` from ``encrypt``, ``bytes`` from ``encrypt_bytes``). Each document is written back
only if it did not change since it was read, so rotation may run while the service serves.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pymongo.collection import Collection

from .crypto import DataCipher
from .mongo import TenantCollection


@dataclass
class RotationCount:
    """What one run did to one collection."""

    rotated: int = 0
    changed_meanwhile: int = 0


def _rotate_path(value: Any, path: list[str], rotate) -> Any:
    """``value`` with the token at ``path`` (through lists) replaced by ``rotate(token)``."""
    if isinstance(value, list):
        return [_rotate_path(item, path, rotate) for item in value]
    if not path:
        return rotate(value) if isinstance(value, (str, bytes)) else value
    if not isinstance(value, dict) or path[0] not in value:
        return value
    return {**value, path[0]: _rotate_path(value[path[0]], path[1:], rotate)}


def reencrypt_documents(collection: Collection, tenant: str, fields: Iterable[str],
                        cipher: DataCipher) -> RotationCount:
    """Re-encrypt ``fields`` of ``tenant``'s documents in ``collection`` with the current key."""
    paths = [field.split(".") for field in fields]
    tops = sorted({path[0] for path in paths})
    count = RotationCount()
    documents = TenantCollection(collection, tenant)
    for document in documents.find({}, {top: 1 for top in tops}):
        updated = dict(document)
        for path in paths:
            updated = _rotate_path(updated, path, lambda token: cipher.rotate(tenant, token))
        changes = {top: updated[top] for top in tops if top in document}
        if not changes:
            continue
        unchanged = {"_id": document["_id"], **{top: document[top] for top in changes}}
        if documents.update_one(unchanged, {"$set": changes}).matched_count:
            count.rotated += 1
        else:
            count.changed_meanwhile += 1
    return count
