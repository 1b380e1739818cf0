# SPDX-License-Identifier: EUPL-1.2
"""Key rotation: re-wrap the key vault with each tenant's current key; move older values.

Personal data is sealed under per-person keys (:mod:`loket_common.key_vault`), which the
vault keeps wrapped by the tenant key: rotating a tenant key re-wraps those keys (one small
document per person) and leaves the data alone. Values sealed before crypto-shredding,
directly with the tenant key, are moved under their owner's key on the way.

Each service names its encrypted fields in ``loket_<service>/encrypted_fields.py`` as
``ENCRYPTED_FIELDS = {collection: [dotted.path, ...]}`` (a path segment that meets a list
applies to each element) and the owner of a document's key as ``KEY_OWNERS = {collection:
owner(database, document)}``. Each document is written back only if it did not change since
it was read, so rotation may run while the service serves.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from pymongo.collection import Collection

from .key_vault import SubjectCipher, is_person_sealed
from .mongo import TenantCollection

Owner = Callable[[dict[str, Any]], str]


@dataclass
class RotationCount:
    """What one run did to one collection: documents moved to per-person keys, or not."""

    moved: int = 0
    current: int = 0
    changed_meanwhile: int = 0


def _convert_path(value: Any, path: list[str], convert: Callable[[Any], Any]) -> Any:
    """``value`` with the token at ``path`` (through lists) replaced by ``convert(token)``."""
    if isinstance(value, list):
        return [_convert_path(item, path, convert) for item in value]
    if not path:
        return convert(value) if isinstance(value, (str, bytes)) else value
    if not isinstance(value, dict) or path[0] not in value:
        return value
    return {**value, path[0]: _convert_path(value[path[0]], path[1:], convert)}


def _tokens(value: Any, path: list[str]) -> list[Any]:
    """The tokens at ``path`` (through lists) in ``value``."""
    if isinstance(value, list):
        return [token for item in value for token in _tokens(item, path)]
    if not path:
        return [value] if isinstance(value, (str, bytes)) else []
    if not isinstance(value, dict) or path[0] not in value:
        return []
    return _tokens(value[path[0]], path[1:])


def reencrypt_documents(collection: Collection, tenant: str, fields: Iterable[str],
                        cipher: SubjectCipher, owner: Owner,
                        progress: Callable[[int], None] | None = None) -> RotationCount:
    """Move values of ``tenant`` still sealed with the tenant key under their owner's key.

    ``fields`` are the encrypted paths, ``owner(document)`` names whose key; values already
    under a person's key stay as they are. ``progress(n)`` is told every 1,000 documents.
    """
    paths = [field.split(".") for field in fields]
    tops = sorted({path[0] for path in paths})
    count = RotationCount()
    documents = TenantCollection(collection, tenant)
    for seen, document in enumerate(documents.find({}), start=1):
        if progress and seen % 1000 == 0:
            progress(seen)
        if all(is_person_sealed(token) for path in paths for token in _tokens(document, path)):
            count.current += 1
            continue
        reseal = partial(cipher.reseal, tenant, owner(document))
        updated = dict(document)
        for path in paths:
            updated = _convert_path(updated, path, reseal)
        changes = {top: updated[top] for top in tops if top in document}
        unchanged = {"_id": document["_id"], **{top: document[top] for top in changes}}
        if documents.update_one(unchanged, {"$set": changes}).matched_count:
            count.moved += 1
        else:
            count.changed_meanwhile += 1
    return count
