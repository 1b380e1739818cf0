# SPDX-License-Identifier: EUPL-1.2
"""SMS providers: the contract a tenant's provider meets, and the HTTP provider Loket ships.

**The contract** (:class:`SmsProvider`): ``deliver(to, text, reference)`` sends ``text`` to
``to`` (an E.164 number, ``+4930123456``) and answers a :class:`RelayAttempt` whose
``relay`` is the provider's name, ``outcome`` ``accepted`` / ``temporary_failure`` /
``permanent_failure`` and ``detail`` a code (never the provider's text). It must not
raise for the provider's answers, and must not log the number or the text.

**The HTTP provider** (:class:`HttpSmsProvider`) POSTs JSON to its URL::

    POST <url>
    Authorization: Bearer <token>            (when a token is set)
    Content-Type: application/json
    {"to": "+4930123456", "text": "Ihr Termin ...", "reference": "<Loket's message id>"}

and reads the status only: 2xx accepted (``http 202``); 408, 429 and 5xx temporary (tried
again later); any other 4xx permanent; a timeout ``timeout``, a refused connection
``refused``. A provider with another API gets a small adapter with ``deliver``. The
development mail catcher's fake provider takes exactly this request and shows the SMS.
"""
from __future__ import annotations

from typing import Protocol

import requests

from .records import ACCEPTED, PERMANENT, TEMPORARY, RelayAttempt

RETRIED_STATUSES = (408, 429)


class SmsProvider(Protocol):
    """Sends one SMS; see the module's docstring for the contract."""

    name: str

    def deliver(self, to: str, text: str, reference: str) -> RelayAttempt:
        """Send ``text`` to ``to``; ``reference`` is Loket's message id."""
        ...


class HttpSmsProvider:
    """An SMS provider behind one HTTP endpoint taking ``{to, text, reference}`` as JSON."""

    def __init__(self, url: str, token: str | None = None, timeout: float = 10.0,
                 name: str = "http-sms") -> None:
        self.url = url
        self.token = token
        self.timeout = timeout
        self.name = name
        self.session = requests.Session()  # keeps the connection open between messages

    def deliver(self, to: str, text: str, reference: str) -> RelayAttempt:
        """POST the SMS; the answer's status decides the outcome."""
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            response = self.session.post(self.url, json={"to": to, "text": text,
                                                         "reference": reference},
                                         headers=headers, timeout=self.timeout)
        except requests.Timeout:
            return RelayAttempt(self.name, TEMPORARY, "timeout")
        except requests.ConnectionError as error:
            refused = isinstance(_root(error), ConnectionRefusedError)
            return RelayAttempt(self.name, TEMPORARY, "refused" if refused else "network")
        except requests.RequestException:
            return RelayAttempt(self.name, TEMPORARY, "http")
        response.close()
        status = response.status_code
        detail = f"http {status}"
        if 200 <= status < 300:
            return RelayAttempt(self.name, ACCEPTED, detail)
        if 400 <= status < 500 and status not in RETRIED_STATUSES:
            return RelayAttempt(self.name, PERMANENT, detail)
        return RelayAttempt(self.name, TEMPORARY, detail)

    def close(self) -> None:
        """Close the kept connection."""
        self.session.close()


def _root(error: BaseException) -> BaseException:
    """The innermost cause (requests wraps urllib3's error, which wraps the socket's)."""
    seen = 0
    while seen < 10:
        inner = error.__cause__ or error.__context__ or (
            error.args[0] if error.args and isinstance(error.args[0], BaseException) else None)
        reason = getattr(error, "reason", None)
        if isinstance(reason, BaseException):
            inner = reason
        if inner is None:
            return error
        error, seen = inner, seen + 1
    return error
