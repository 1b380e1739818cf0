# SPDX-License-Identifier: EUPL-1.2
"""Channels: how a rendered message reaches its recipient (email over SMTP relays, SMS).

``email_channel(relays, limiter)`` tries the tenant's relays in order (see
:mod:`.smtp_send` for what makes it try the next one); ``sms_channel(provider)`` hands the
text to an SMS provider (:mod:`.sms`). Both answer a :class:`SendResult` whose ``detail``
is a code, never a server's text. The dispatcher records the result as the message's
state.
"""
from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Protocol

from loket_common.logs import get_logger

from .email_message import InvalidAddress, build_email
from .rate_limit import RelayRateLimit
from .records import (
    ACCEPTED,
    PERMANENT,
    TEMPORARY,
    Attachment,
    Outgoing,
    RelayAttempt,
    SendResult,
    message_id_header,
    parse_message_id_header,
)
from .relays import Relay
from .sms import SmsProvider
from .smtp_pool import SmtpPools
from .smtp_send import ACCEPTED as SENT
from .smtp_send import RECIPIENT_REFUSED, send_through

__all__ = ["ACCEPTED", "PERMANENT", "TEMPORARY", "Attachment", "Channel", "EmailChannel",
           "Outgoing", "RelayAttempt", "SendResult", "SmsChannel", "close_shared_pools",
           "email_channel", "message_id_header", "parse_message_id_header", "shared_pools",
           "sms_channel"]

log = get_logger(__name__)

RATE_LIMITED = "rate_limited"
NO_RELAY = "no_relay"
INVALID_ADDRESS = "invalid_address"
LAST_RELAY_WAIT_SECONDS = 1.0

_shared: dict[str | None, SmtpPools] = {}
_shared_lock = threading.Lock()


class Channel(Protocol):
    """Sends one :class:`Outgoing`; never raises for the remote side's answers."""

    name: str

    def send(self, outgoing: Outgoing) -> SendResult:
        """Send ``outgoing`` and say what came of it."""
        ...


def shared_pools(ca_file: str | None = None) -> SmtpPools:
    """The process's SMTP connections (per relay), kept open across channels and messages."""
    with _shared_lock:
        pools = _shared.get(ca_file)
        if pools is None:
            pools = _shared[ca_file] = SmtpPools(ca_file)
        return pools


def close_shared_pools() -> None:
    """Close every idle connection of :func:`shared_pools` (at the service's stop)."""
    with _shared_lock:
        every = list(_shared.values())
    for pools in every:
        pools.close()


class EmailChannel:
    """Email through ``relays`` in order, each within its rate (``limiter``), with failover."""

    name = "email"

    def __init__(self, relays: Sequence[Relay], limiter: RelayRateLimit | None,
                 pools: SmtpPools) -> None:
        self.relays = tuple(relays)
        self.limiter = limiter
        self.pools = pools

    def send(self, outgoing: Outgoing) -> SendResult:
        """Send through the first relay that accepts; stop at a refused recipient."""
        try:
            message = build_email(outgoing)
        except InvalidAddress:  # wrong on every relay, and no retry will mend it
            log.info("recipient is no email address", message_id=outgoing.message_id)
            return SendResult(PERMANENT, None, INVALID_ADDRESS, ())
        envelope_from = outgoing.bounce_address or outgoing.sender
        attempts: list[RelayAttempt] = []
        for position, relay in enumerate(self.relays):
            if not self._within_rate(relay, last=position == len(self.relays) - 1):
                attempts.append(RelayAttempt(relay.id, TEMPORARY, RATE_LIMITED))
                continue
            verdict = send_through(self.pools.for_relay(relay), message, envelope_from,
                                   outgoing.recipient)
            attempts.append(verdict.attempt)
            if verdict.kind == SENT:
                return SendResult(ACCEPTED, relay.id, verdict.attempt.detail, tuple(attempts))
            log.info("relay did not take the message", relay=relay.id,
                     message_id=outgoing.message_id, detail=verdict.attempt.detail)
            if verdict.kind == RECIPIENT_REFUSED:  # wrong everywhere: no other relay
                return SendResult(PERMANENT, relay.id, verdict.attempt.detail, tuple(attempts))
        return _failed(attempts)

    def _within_rate(self, relay: Relay, last: bool) -> bool:
        if self.limiter is None or relay.rate <= 0:
            return True
        if last:  # nowhere else to go: wait a little for the next second's budget
            return self.limiter.take_waiting(relay.id, relay.rate, LAST_RELAY_WAIT_SECONDS)
        return self.limiter.take(relay.id, relay.rate)


def _failed(attempts: list[RelayAttempt]) -> SendResult:
    """No relay accepted: permanent when every one said 5xx, else temporary."""
    if not attempts:
        return SendResult(TEMPORARY, None, NO_RELAY, ())
    last = attempts[-1]
    outcome = PERMANENT if all(a.outcome == PERMANENT for a in attempts) else TEMPORARY
    return SendResult(outcome, last.relay, last.detail, tuple(attempts))


def email_channel(relays: Sequence[Relay], limiter: RelayRateLimit | None, *,
                  pools: SmtpPools | None = None, ca_file: str | None = None) -> EmailChannel:
    """Email through ``relays`` in failover order (a tenant's, :func:`.relays.relays_for`).

    Connections come from ``pools``, by default the process's :func:`shared_pools` (so a
    channel made per message still reuses them); ``ca_file`` is
    ``NOTIFICATIONS_SMTP_CA_FILE``, a CA trusted besides the system's (test relays).
    """
    return EmailChannel(relays, limiter, pools or shared_pools(ca_file))


class SmsChannel:
    """SMS through one provider: the message's plain text to an E.164 number."""

    name = "sms"

    def __init__(self, provider: SmsProvider) -> None:
        self.provider = provider

    def send(self, outgoing: Outgoing) -> SendResult:
        """Hand the text to the provider; its answer is the result."""
        attempt = self.provider.deliver(outgoing.recipient, outgoing.text, outgoing.message_id)
        if attempt.outcome != ACCEPTED:
            log.info("sms provider did not take the message", provider=attempt.relay,
                     message_id=outgoing.message_id, detail=attempt.detail)
        return SendResult(attempt.outcome, attempt.relay, attempt.detail, (attempt,))


def sms_channel(provider: SmsProvider) -> SmsChannel:
    """SMS through ``provider`` (:class:`.sms.HttpSmsProvider` or a tenant's own)."""
    return SmsChannel(provider)
