# SPDX-License-Identifier: EUPL-1.2
"""gunicorn's access line without secrets, whatever ``access_log_format`` asks for.

Manage and status links carry their token in the query (``?token=``), the sign-in
callback its code and state, API clients their bearer token and manage token in headers:
the request line, query, referrer, URI and secret headers (as ``{name}i`` or as
``{http_name}e``) are logged with those values replaced by ``[redacted]``.
"""
from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from loket_common.logs import REDACTED, SECRET_FIELDS, redact_text


def _header_name(atom: str) -> str:
    """``{x-manage-token}i`` / ``{http_x_manage_token}e`` → ``x-manage-token``."""
    name = atom[1:-2].lower() if atom.startswith("{") else atom
    return name.removeprefix("http_").replace("_", "-")


class RedactingLogger(Logger):
    """gunicorn's logger whose access-line atoms hold no secret (``logger_class``)."""

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any],
              request_time: Any) -> dict[str, Any]:
        """The atoms, secret headers blanked and secret query values replaced."""
        atoms = super().atoms(resp, req, environ, request_time)
        return {atom: REDACTED if atom.startswith("{") and _header_name(atom) in SECRET_FIELDS
                else redact_text(value) if isinstance(value, str) else value
                for atom, value in atoms.items()}
