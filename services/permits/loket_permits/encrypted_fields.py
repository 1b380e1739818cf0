# SPDX-License-Identifier: EUPL-1.2
"""The permits service's encrypted fields and whose key seals them.

For ``loket-rotate-data-keys permits``: ``ENCRYPTED_FIELDS`` names the fields,
``KEY_OWNERS`` the owner of a document's key (the applicant's subject, else the
application's own; a file is its application's).
"""
from typing import Any

from pymongo.database import Database

from loket_common.key_vault import owner_of
from loket_common.mongo import TenantCollection

from .case_crypto import CaseSeal

ENCRYPTED_FIELDS: dict[str, list[str]] = {
    "applications": ["applicant.name", "on_behalf_of", "applicant_contact", "data",
                     "information_request.message", "decision.reason", "history.reason",
                     "attachments.filename"],
    "attachment_files": ["content"],
}


def _application(_database: Database, document: dict[str, Any]) -> str:
    return CaseSeal.owner(document)


def _file(database: Database, document: dict[str, Any]) -> str:
    case = TenantCollection(database["applications"], document["tenant"]).find_one(
        {"id": document["application_id"]}, {"id": 1, "applicant": 1})
    return CaseSeal.owner(case) if case else owner_of(None, "application",
                                                      document["application_id"])


KEY_OWNERS = {"applications": _application, "attachment_files": _file}
