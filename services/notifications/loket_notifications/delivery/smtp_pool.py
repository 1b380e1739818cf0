# SPDX-License-Identifier: EUPL-1.2
"""Open SMTP connections per relay, reused across messages.

A sender borrows a connection for one message and gives it back; nobody else uses it
meanwhile (``threading`` primitives, green under eventlet). A connection idle for a while
is checked with ``RSET`` before it is lent again; one the server dropped meanwhile is
replaced by a new one, and the message is sent on that (once). TLS (``STARTTLS`` or
implicit) verifies the relay's certificate with the system's CAs, or with ``ca_file``
for a test relay.
"""
from __future__ import annotations

import smtplib
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from loket_common.logs import get_logger

from .relays import Relay

log = get_logger(__name__)
T = TypeVar("T")

IDLE_CHECK_SECONDS = 2.0  # a connection idle this long is checked before it is used
MAX_IDLE_SECONDS = 50.0  # ... and one idle this long closed (relays drop them after ~60 s)
MAX_IDLE_PER_RELAY = 8


def tls_context(ca_file: str | None = None) -> ssl.SSLContext:
    """The default context (certificate and host name verified), trusting ``ca_file`` too."""
    context = ssl.create_default_context()
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    return context


@dataclass
class _Idle:
    connection: smtplib.SMTP
    since: float


class SmtpPool:
    """Connections to one relay; :meth:`run` lends one for one message."""

    def __init__(self, relay: Relay, ca_file: str | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.relay = relay
        self.context = tls_context(ca_file)
        self.clock = clock
        self._idle: list[_Idle] = []
        self._lock = threading.Lock()
        self.opened = 0  # connections opened so far (the tests see reuse with it)

    def run(self, action: Callable[[smtplib.SMTP], T]) -> T:
        """``action(connection)`` on an open, greeted (secured, authenticated) connection.

        Raises what connecting or ``action`` raises (``OSError``, ``smtplib.SMTPException``).
        A reused connection found dead (the server dropped it while idle, or closes it now
        with a 421) is replaced and ``action`` runs once more on a new one.
        """
        reused = self._borrow()
        if reused is not None:
            try:
                with self._lent(reused) as connection:
                    return action(connection)
            except (smtplib.SMTPServerDisconnected, ConnectionError) as error:
                if timed_out(error):  # it is there but slow: a new connection will not help
                    raise
                log.info("smtp connection found closed; reconnecting", relay=self.relay.id)
            except smtplib.SMTPResponseException as error:
                if error.smtp_code != 421:  # anything but "closing this connection"
                    raise
                log.info("smtp connection closed by the relay; reconnecting",
                         relay=self.relay.id)
        with self._lent(self._open()) as connection:
            return action(connection)

    @contextmanager
    def _lent(self, connection: smtplib.SMTP) -> Iterator[smtplib.SMTP]:
        try:
            yield connection
        except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused):
            # the server said no and smtplib reset the conversation: usable again
            self._give_back(connection)
            raise
        except BaseException:
            # a network error, or cut off midway (a green thread's timeout): state unknown
            _close(connection)
            raise
        else:
            self._give_back(connection)

    def close(self) -> None:
        """Close every idle connection (``QUIT``)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for item in idle:
            _quit(item.connection)

    def _borrow(self) -> smtplib.SMTP | None:
        while True:
            with self._lock:
                if not self._idle:
                    return None
                item = self._idle.pop()  # the most recently used: the likeliest alive
            idle_for = self.clock() - item.since
            if idle_for > MAX_IDLE_SECONDS:
                _quit(item.connection)
            elif idle_for < IDLE_CHECK_SECONDS or _alive(item.connection):
                return item.connection
            else:
                _close(item.connection)

    def _give_back(self, connection: smtplib.SMTP) -> None:
        if connection.sock is None:  # smtplib closed it (a 421 on the way)
            return
        with self._lock:
            if len(self._idle) < MAX_IDLE_PER_RELAY:
                self._idle.append(_Idle(connection, self.clock()))
                return
        _quit(connection)

    def _open(self) -> smtplib.SMTP:
        relay = self.relay
        connection: smtplib.SMTP
        if relay.security == "tls":
            connection = smtplib.SMTP_SSL(relay.host, relay.port, timeout=relay.timeout,
                                          context=self.context)
        else:
            connection = smtplib.SMTP(relay.host, relay.port, timeout=relay.timeout)
        try:
            connection.ehlo()
            if relay.security == "starttls":
                connection.starttls(context=self.context)
                connection.ehlo()
            if relay.username:
                connection.login(relay.username, relay.password or "")
        except BaseException:
            _close(connection)
            raise
        self.opened += 1
        log.debug("smtp connection opened", relay=relay.id)
        return connection


class SmtpPools:
    """One :class:`SmtpPool` per relay, made when first needed."""

    def __init__(self, ca_file: str | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.ca_file = ca_file
        self.clock = clock
        self._pools: dict[Relay, SmtpPool] = {}
        self._lock = threading.Lock()

    def for_relay(self, relay: Relay) -> SmtpPool:
        """The pool of ``relay`` (a changed relay, e.g. a new password, gets a new pool)."""
        with self._lock:
            pool = self._pools.get(relay)
            if pool is None:
                pool = self._pools[relay] = SmtpPool(relay, self.ca_file, self.clock)
            return pool

    def close(self) -> None:
        """Close every pool's idle connections (at the service's stop)."""
        with self._lock:
            pools = list(self._pools.values())
        for pool in pools:
            pool.close()


def timed_out(error: BaseException) -> bool:
    """True for a timeout, also as smtplib reports one while reading (a disconnection)."""
    return isinstance(error, TimeoutError) or isinstance(error.__context__, TimeoutError)


def _alive(connection: smtplib.SMTP) -> bool:
    try:
        code, _ = connection.rset()
    except (smtplib.SMTPException, OSError):
        return False
    return code == 250


def _quit(connection: smtplib.SMTP) -> None:
    try:
        connection.quit()
    except (smtplib.SMTPException, OSError):
        _close(connection)


def _close(connection: smtplib.SMTP) -> None:
    try:
        connection.close()
    except OSError:  # pragma: no cover  (closing a dead socket)
        pass
