# SPDX-License-Identifier: EUPL-1.2
"""The files of a case: upload and remove (applicant, while editable), download (both).

The content is checked by :mod:`attachments` and kept sealed in ``attachment_files``; the
case holds each file's metadata.
"""
from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bson import Binary
from pymongo.database import Database
from pymongo.errors import OperationFailure

from loket_common.errors import NotFound, ValidationFailed
from loket_common.mongo import transaction

from . import attachments, workflow
from .case_records import CaseRecords
from .exceptions import TransitionNotAllowed

WRITE_CONFLICT = 112  # two transactions wrote one document: the other one won


class CaseAttachments(CaseRecords):
    """Attachments of the tenant's applications."""

    def add_attachment(self, subject: str, application_id: str, document_id: str,
                       filename: str, content_base64: str) -> dict[str, Any]:
        """Store a file for one of the type's documents, checked by content and size."""
        case = self.own(subject, application_id)
        documents = {doc["id"]: doc
                     for doc in self.types.get(self.tenant, case["type_id"])["documents"]}
        if document_id not in documents:
            raise ValidationFailed("Unknown document.", invalid_params=[
                {"name": "document_id", "reason": "This application takes no such document."}])
        content = attachments.decoded(content_base64)
        detected = attachments.checked_file(documents[document_id], content)
        attachment = {"id": str(uuid.uuid4()), "document_id": document_id,
                      "filename": filename, "content_type": detected, "size": len(content),
                      "uploaded_at": self.now()}
        owner = self.sealer.owner(case)
        with _lost_race_reported(self.database) as session:
            self.files.insert_one({"id": attachment["id"], "application_id": application_id,
                                   "content": Binary(self.sealer.content(content, owner))},
                                  session=session)
            self._editable_update(
                subject, application_id,
                {"$push": {"attachments": self.sealer.attachment(attachment, owner)}}, session)
        return attachment

    def remove_attachment(self, subject: str, application_id: str, attachment_id: str) -> None:
        """Remove one of the applicant's files while the application can be changed."""
        case = self.own(subject, application_id)
        if attachment_id not in {item["id"] for item in case["attachments"]}:
            raise NotFound("No such attachment.")
        with _lost_race_reported(self.database) as session:
            self._editable_update(subject, application_id,
                                  {"$pull": {"attachments": {"id": attachment_id}}}, session)
            self.files.delete_many({"id": attachment_id}, session=session)

    def attachment(self, application_id: str, attachment_id: str, subject: str | None,
                   actor: dict[str, Any] | None = None) -> dict[str, Any]:
        """A file: the applicant's own (``subject``) or, for staff (None), any of the tenant.

        A download by staff (``actor``) is logged for the applicant.
        """
        case = self.case(application_id) if subject is None else self.own(subject,
                                                                             application_id)
        meta = next((item for item in case["attachments"] if item["id"] == attachment_id), None)
        stored = meta and self.files.find_one({"id": attachment_id,
                                               "application_id": application_id})
        if not meta or not stored:
            raise NotFound("No such attachment.")
        if actor is not None:
            self.log_access(case, actor, "case_attachment")
        return {"filename": meta["filename"], "content_type": meta["content_type"],
                "content_base64": base64.b64encode(
                    self.sealer.open_content(stored["content"])).decode()}

    def _editable_update(self, subject: str, application_id: str, update: dict[str, Any],
                         session: Any) -> None:
        changed = self.cases.update_one(
            {"id": application_id, "applicant.subject": subject,
             "state": {"$in": list(workflow.EDITABLE_STATES)}}, update, session=session)
        if changed.matched_count != 1:
            raise TransitionNotAllowed("Files can be changed only in drafts and applications "
                                       "awaiting information.")


@contextmanager
def _lost_race_reported(database: Database) -> Iterator[Any]:
    """A transaction in which a write conflict means someone else's step won."""
    try:
        with transaction(database) as session:
            yield session
    except OperationFailure as error:
        if not (error.code == WRITE_CONFLICT
                or error.has_error_label("TransientTransactionError")):
            raise
        raise TransitionNotAllowed("The application changed meanwhile.") from None
