# SPDX-License-Identifier: EUPL-1.2
"""One message through one relay, and what its answer means for failover.

Every answer becomes a code (``250``, ``smtp 421``, ``5.1.1``, ``timeout``, ``refused``,
``tls``, ...), never the server's text, which may quote the address: a 5xx by its enhanced
status code where the server gives one, else ``smtp <code>``. The verdict says
whether to try the next relay:

- ``ACCEPTED``: done;
- ``RECIPIENT_REFUSED``: a 5xx on RCPT, the address is wrong everywhere (no failover);
- ``RELAY_REFUSED``: a 5xx on MAIL or DATA (or a 5.7.x policy answer on RCPT, e.g. relaying
  denied: the relay's rule, not the address's): next relay, permanent if all say so;
- ``RELAY_FAILED``: a 4xx, a timeout, a refused connection, a TLS or login failure: next
  relay, a temporary failure if none accepts.
"""
from __future__ import annotations

import re
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage

from .records import ACCEPTED as ACCEPTED_OUTCOME
from .records import PERMANENT, TEMPORARY, RelayAttempt
from .smtp_pool import SmtpPool, timed_out

ACCEPTED = "accepted"
RECIPIENT_REFUSED = "recipient_refused"
RELAY_REFUSED = "relay_refused"
RELAY_FAILED = "relay_failed"

ENHANCED_STATUS = re.compile(rb"^\s*([245]\.\d{1,3}\.\d{1,3})\b")


@dataclass(frozen=True)
class Verdict:
    """What one relay said, as a code, and what it means for the next relay."""

    kind: str  # ACCEPTED | RECIPIENT_REFUSED | RELAY_REFUSED | RELAY_FAILED
    attempt: RelayAttempt


def send_through(pool: SmtpPool, message: EmailMessage, envelope_from: str,
                 recipient: str) -> Verdict:
    """Send ``message`` to ``recipient`` through ``pool``'s relay; never raises for SMTP."""
    relay = pool.relay.id
    try:
        pool.run(lambda connection: connection.send_message(
            message, from_addr=envelope_from, to_addrs=[recipient]))
    except smtplib.SMTPRecipientsRefused as error:
        code, text = next(iter(error.recipients.values()), (0, b""))
        return _recipient_answer(relay, code, text)
    except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
        return _relay_answer(relay, error.smtp_code, error.smtp_error)
    except smtplib.SMTPAuthenticationError as error:
        return _failed(relay, f"auth {error.smtp_code}")
    except smtplib.SMTPResponseException as error:  # greeting, EHLO, STARTTLS refused
        return _failed(relay, f"smtp {error.smtp_code}")
    except smtplib.SMTPNotSupportedError:  # no STARTTLS, no AUTH, no SMTPUTF8 offered
        return _failed(relay, "not_supported")
    except smtplib.SMTPServerDisconnected as error:
        return _failed(relay, "timeout" if timed_out(error) else "disconnected")
    except smtplib.SMTPException:
        return _failed(relay, "smtp")
    except ssl.SSLError:
        return _failed(relay, "tls")
    except TimeoutError:
        return _failed(relay, "timeout")
    except ConnectionRefusedError:
        return _failed(relay, "refused")
    except OSError:
        return _failed(relay, "network")
    return Verdict(ACCEPTED, RelayAttempt(relay, ACCEPTED_OUTCOME, "250"))


def detail_code(code: int, text: bytes | str | None) -> str:
    """The enhanced status code (``5.1.1``) the answer starts with, else ``smtp <code>``."""
    raw = text.encode("utf-8", "replace") if isinstance(text, str) else (text or b"")
    match = ENHANCED_STATUS.match(raw)
    return match.group(1).decode("ascii") if match else f"smtp {code}"


def _recipient_answer(relay: str, code: int, text: bytes | str) -> Verdict:
    detail = detail_code(code, text)
    if 500 <= code < 600 and not detail.startswith("5.7."):
        return Verdict(RECIPIENT_REFUSED, RelayAttempt(relay, PERMANENT, detail))
    return _relay_answer(relay, code, text)


def _relay_answer(relay: str, code: int, text: bytes | str) -> Verdict:
    if 500 <= code < 600:
        return Verdict(RELAY_REFUSED, RelayAttempt(relay, PERMANENT, detail_code(code, text)))
    return _failed(relay, f"smtp {code}")  # a 4xx: the relay's trouble, tried again later


def _failed(relay: str, detail: str) -> Verdict:
    return Verdict(RELAY_FAILED, RelayAttempt(relay, TEMPORARY, detail))
