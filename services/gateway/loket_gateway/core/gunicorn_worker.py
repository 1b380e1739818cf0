# SPDX-License-Identifier: EUPL-1.2
"""gunicorn's gthread worker, whose own error answers look like the gateway's.

gunicorn refuses some requests before the app sees them: a request line longer than
``limit_request_line`` (414), headers beyond ``limit_request_field_size`` or
``limit_request_fields`` (431), a request it cannot parse (400), and it answers 500 when
the app sends a header it cannot write. Its answer is a bare HTML page without the
security headers. :class:`ProblemWorker` keeps gunicorn's decision (status, log and access
lines) and sends the gateway's problem+json (:mod:`.problems`) with its security headers
(:mod:`.security`) and a request id instead. Named in ``gunicorn.conf.py``.
"""
from __future__ import annotations

from http import HTTPStatus
from typing import Any

from gunicorn import util
from gunicorn.workers.gthread import ThreadWorker
from werkzeug.exceptions import default_exceptions

from .errors import MalformedRequest, RequestHeadersTooLarge, RequestLineTooLong
from .problems import INTERNAL, from_exception, problem_response
from .request_ids import HEADER, request_id_from
from .security import add_security_headers

# gunicorn's statuses that have an error class of the gateway's; others are werkzeug's.
OWN_ERRORS = {400: MalformedRequest, 414: RequestLineTooLong, 431: RequestHeadersTooLarge}
DETAILS = {400: "gunicorn could not read the request (its request line or a header).",
           414: "The request line (method, path and query) is longer than this server "
                "accepts.",
           431: "The request's headers are larger, or more, than this server accepts."}


class _Written:
    """Stands in for the client socket while gunicorn writes its own error answer."""

    def __init__(self) -> None:
        self.data = b""

    def gettimeout(self) -> float:
        return 0.0  # non-blocking already: gunicorn's write_nonblock writes at once

    def sendall(self, data: bytes) -> None:
        self.data += data

    def status(self) -> int | None:
        """The status gunicorn's answer starts with (None if it wrote nothing)."""
        parts = self.data.split(b"\r\n", 1)[0].split(b" ")
        return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


def problem_answer(status: int) -> bytes:
    """The raw HTTP answer for a request gunicorn refused with ``status``."""
    if status in OWN_ERRORS:
        response = from_exception(OWN_ERRORS[status](DETAILS[status]))
    elif status in default_exceptions and status != 500:  # 403, 417, 501
        response = from_exception(default_exceptions[status]())
    else:
        response = problem_response(*INTERNAL)
    add_security_headers(response)
    response.headers[HEADER] = request_id_from(None)
    response.headers["Connection"] = "close"
    head = f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n" + "".join(
        f"{name}: {value}\r\n" for name, value in response.headers.items()) + "\r\n"
    return head.encode("latin-1") + response.get_data()


class ProblemWorker(ThreadWorker):
    """gthread, answering what gunicorn refuses as problem+json with the security headers."""

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        """Decide and log as gunicorn does, then send our answer instead of its page."""
        written = _Written()
        super().handle_error(req, written, addr, exc)
        status = written.status()
        if status is None:
            return
        try:
            util.write_nonblock(client, problem_answer(status))
        except Exception:  # noqa: BLE001 (the client went away: as gunicorn does)
            self.log.debug("Failed to send error message.")
