# SPDX-License-Identifier: EUPL-1.2
"""Personal data of an application, sealed for storage and opened for the service edge.

Encrypted (see ``encrypted_fields.py``): the applicant's name, the company applied for,
the contact taken down at the counter, the form answers, the information request's
message, every free-text reason in the history and the decision, attachment file names
and contents. In clear stays what
queries need: ids, the applicant's pseudonymous subject, type, state, dates, fees.
Everything is sealed under the applicant's key (their subject; an application without one
has its own), which the erasure destroys (crypto-shredding, ``loket_common.key_vault``).
"""
from __future__ import annotations

from typing import Any

from loket_common.key_vault import SubjectCipher, owner_of


class CaseSeal:
    """Seals and opens one tenant's application documents (and parts of them)."""

    def __init__(self, cipher: SubjectCipher, tenant: str) -> None:
        self.cipher = cipher
        self.tenant = tenant

    @staticmethod
    def owner(case: dict[str, Any]) -> str:
        """Whose key seals ``case``: its applicant's subject, else the application's own."""
        return owner_of((case.get("applicant") or {}).get("subject"), "application", case["id"])

    def _enc(self, value: Any, owner: str) -> Any:
        return None if value is None else self.cipher.encrypt(self.tenant, owner, value)

    def _dec(self, value: Any) -> Any:
        return self.cipher.decrypt(self.tenant, value) if isinstance(value, str) else value

    def entry(self, entry: dict[str, Any], owner: str) -> dict[str, Any]:
        """A history entry with its reason sealed."""
        return {**entry, "reason": self._enc(entry.get("reason"), owner)}

    def attachment(self, attachment: dict[str, Any], owner: str) -> dict[str, Any]:
        """An attachment's metadata with its file name sealed."""
        return {**attachment, "filename": self._enc(attachment.get("filename"), owner)}

    def content(self, data: bytes, owner: str) -> bytes:
        """A file's bytes, sealed."""
        return self.cipher.encrypt_bytes(self.tenant, owner, data)

    def open_content(self, token: bytes) -> bytes:
        """A file's bytes, opened."""
        return self.cipher.decrypt_bytes(self.tenant, bytes(token))

    def seal(self, case: dict[str, Any], owner: str) -> dict[str, Any]:
        """``case`` (whole or a ``$set`` of some of its fields) as stored, ``owner``'s key."""
        return self._convert(case, lambda value: self._enc(value, owner),
                             lambda item: self.entry(item, owner),
                             lambda item: self.attachment(item, owner))

    def open(self, stored: dict[str, Any]) -> dict[str, Any]:
        """A stored case (whole or projected) with its personal data decrypted."""
        def entry(item: dict[str, Any]) -> dict[str, Any]:
            return {**item, "reason": self._dec(item.get("reason"))}

        def attachment(item: dict[str, Any]) -> dict[str, Any]:
            return {**item, "filename": self._dec(item.get("filename"))}

        return self._convert(stored, self._dec, entry, attachment)

    @staticmethod
    def _convert(case: dict[str, Any], value, entry, attachment) -> dict[str, Any]:
        out = dict(case)
        if out.get("applicant"):
            out["applicant"] = {**out["applicant"], "name": value(out["applicant"].get("name"))}
        for key in ("on_behalf_of", "data", "applicant_contact"):
            if key in out:
                out[key] = value(out[key])
        if out.get("information_request"):
            out["information_request"] = {**out["information_request"],
                                          "message": value(out["information_request"].get(
                                              "message"))}
        if out.get("decision"):
            out["decision"] = {**out["decision"], "reason": value(out["decision"].get("reason"))}
        if out.get("history"):
            out["history"] = [entry(item) for item in out["history"]]
        if out.get("attachments"):
            out["attachments"] = [attachment(item) for item in out["attachments"]]
        return out
