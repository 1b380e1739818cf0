# SPDX-License-Identifier: EUPL-1.2
"""Encrypt applications stored before encryption at rest (issue 5); run by the seed command.

An application whose ``data`` is still a plain object is sealed whole (name, company,
answers, reasons, file names); a file whose bytes are not a Fernet token is encrypted.
Erased applications (``anonymised``) keep their empty data. Running it again changes nothing.
"""
from __future__ import annotations

from bson import Binary
from pymongo.database import Database

from loket_common.key_vault import SubjectCipher, is_person_sealed
from loket_common.mongo import TenantCollection

from .case_crypto import CaseSeal
from .encrypted_fields import KEY_OWNERS

FERNET_PREFIX = b"gAAAAA"  # every Fernet token starts with its version byte and a timestamp


def seal_plaintext_applications(database: Database, cipher: SubjectCipher) -> int:
    """Encrypt every application and file still stored in clear; return how many."""
    sealed = 0
    applications = database["applications"]
    for case in applications.find({"data": {"$type": "object"}, "anonymised": {"$ne": True}}):
        stored = CaseSeal(cipher, case["tenant"]).seal(case, CaseSeal.owner(case))
        sealed += TenantCollection(applications, case["tenant"]).replace_one(
            {"_id": case["_id"], "data": case["data"]}, stored).modified_count
    files = database["attachment_files"]
    for file in files.find({}, {"tenant": 1, "content": 1, "application_id": 1}):
        content = bytes(file["content"])
        if not (content.startswith(FERNET_PREFIX) or is_person_sealed(content)):
            owner = KEY_OWNERS["attachment_files"](database, file)
            sealed += TenantCollection(files, file["tenant"]).update_one(
                {"_id": file["_id"], "content": file["content"]},
                {"$set": {"content": Binary(cipher.encrypt_bytes(file["tenant"], owner,
                                                                 content))}},
            ).modified_count
    return sealed
