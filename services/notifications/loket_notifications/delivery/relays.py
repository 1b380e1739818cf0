# SPDX-License-Identifier: EUPL-1.2
"""SMTP relays as ``NOTIFICATIONS_SMTP_RELAYS`` declares them, and a tenant's relays in order.

The value is a comma-separated list of ``id=smtp://[user:pass@]host:port?options``
(``smtps://`` means ``security=tls``). Options: ``security`` (``starttls`` | ``tls`` |
``none``, default ``starttls``), ``timeout`` (seconds, default 10), ``rate`` (messages per
second shared by every instance, default 0: no limit). The user and password are
percent-encoded in the URL; the password may instead come from
``NOTIFICATIONS_SMTP_PASSWORD_<ID>`` (the id upper-cased, ``-`` as ``_``), which wins.
A bad value raises ``ValueError`` naming the relay and what is wrong, never the password.
"""
from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

SECURITY = ("starttls", "tls", "none")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
DEFAULT_TIMEOUT = 10.0
PASSWORD_VARIABLE = "NOTIFICATIONS_SMTP_PASSWORD_"  # noqa: S105  (a name; + the relay id)
RELAY_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")
OPTIONS = ("security", "timeout", "rate")


@dataclass(frozen=True)
class Relay:
    """One SMTP relay: where it is, how to talk to it, how fast it may be used."""

    id: str
    host: str
    port: int
    security: str = "starttls"
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = DEFAULT_TIMEOUT
    rate: int = 0  # messages per second across all instances; 0: no limit

    def __post_init__(self) -> None:
        if self.security not in SECURITY:
            raise ValueError(f"relay {self.id!r}: security must be one of {', '.join(SECURITY)}")


def password_variable(relay_id: str) -> str:
    """The environment variable that may hold ``relay_id``'s password."""
    return PASSWORD_VARIABLE + relay_id.upper().replace("-", "_")


def parse_relays(value: str, environ: Mapping[str, str] | None = None) -> tuple[Relay, ...]:
    """The relays declared by ``value`` (``NOTIFICATIONS_SMTP_RELAYS``), in its order."""
    environ = os.environ if environ is None else environ
    relays: list[Relay] = []
    for position, entry in enumerate((part.strip() for part in value.split(",")), start=1):
        if not entry:
            continue
        relay = _parse_entry(entry, position, environ)
        if any(known.id == relay.id for known in relays):
            raise ValueError(f"relay {relay.id!r} is declared twice")
        relays.append(relay)
    return tuple(relays)


def _parse_entry(entry: str, position: int, environ: Mapping[str, str]) -> Relay:
    relay_id, equals, url = entry.partition("=")
    relay_id = relay_id.strip()
    if not equals or not RELAY_ID.match(relay_id):
        # the entry itself is not repeated: it may hold a password
        raise ValueError(f"relay {position}: expected id=smtp://[user:pass@]host:port?options "
                         "(an id of letters, digits, - and _)")
    where = f"relay {relay_id!r}"
    try:
        parts = urlsplit(url.strip())
        port_text = parts.port
    except ValueError:
        raise ValueError(f"{where}: the port must be a whole number up to 65535") from None
    if parts.scheme not in ("smtp", "smtps"):
        raise ValueError(f"{where}: the URL must start with smtp:// or smtps://")
    if not parts.hostname:
        raise ValueError(f"{where}: the URL names no host")
    options = _options(parts.query, where)
    security = options.get("security", "tls" if parts.scheme == "smtps" else "starttls")
    if security not in SECURITY:
        raise ValueError(f"{where}: security must be one of {', '.join(SECURITY)}")
    timeout = _number(options.get("timeout"), DEFAULT_TIMEOUT, where, "timeout")
    rate = _number(options.get("rate"), 0, where, "rate")
    if timeout <= 0 or rate < 0 or rate != int(rate):
        raise ValueError(f"{where}: timeout must be > 0 seconds, rate a whole number >= 0")
    username = unquote(parts.username) if parts.username else None
    password = environ.get(password_variable(relay_id)) or (
        unquote(parts.password) if parts.password else None)
    if password and not username:
        raise ValueError(f"{where}: a password needs a user name (user:pass@host)")
    return Relay(id=relay_id, host=parts.hostname, port=port_text or DEFAULT_PORTS[security],
                 security=security, username=username, password=password, timeout=timeout,
                 rate=int(rate))


def _options(query: str, where: str) -> dict[str, str]:
    try:
        values = parse_qs(query, strict_parsing=bool(query), keep_blank_values=True)
    except ValueError:
        raise ValueError(f"{where}: options are written ?name=value&name=value") from None
    unknown = sorted(set(values) - set(OPTIONS))
    if unknown:
        raise ValueError(f"{where}: unknown option {unknown[0]!r} (known: {', '.join(OPTIONS)})")
    return {name: items[-1] for name, items in values.items()}


def _number(text: str | None, default: float, where: str, name: str) -> float:
    if text is None:
        return default
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{where}: {name} must be a number, got {text!r}") from None


def relays_for(tenant_relay_ids: Sequence[str], all_relays: Sequence[Relay]) -> list[Relay]:
    """The tenant's relays in its failover order; none listed: every relay, as declared."""
    if not tenant_relay_ids:
        return list(all_relays)
    known = {relay.id: relay for relay in all_relays}
    missing = [relay_id for relay_id in tenant_relay_ids if relay_id not in known]
    if missing:
        raise ValueError(f"unknown relay {missing[0]!r} (declared: "
                         f"{', '.join(known) or 'none'}; see NOTIFICATIONS_SMTP_RELAYS)")
    return [known[relay_id] for relay_id in tenant_relay_ids]
