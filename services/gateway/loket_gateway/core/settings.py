# SPDX-License-Identifier: EUPL-1.2
"""Gateway settings, each read from the environment (documented in README, Configuration)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_TENANTS_FILE = Path(__file__).with_name("tenants.yml")


@dataclass(frozen=True)
class Settings:
    """What the gateway needs to know about its surroundings."""

    # AMQP_URI: RabbitMQ for RPC to the services.
    amqp_uri: str = field(
        default_factory=lambda: os.environ.get("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")
    )
    # RPC_TIMEOUT_SECONDS: how long a request waits for a service before 504.
    rpc_timeout: float = field(
        default_factory=lambda: float(os.environ.get("RPC_TIMEOUT_SECONDS", "10"))
    )
    # RPC_POOL_SIZE: RPC proxies per gateway process (one per concurrent request).
    rpc_pool_size: int = field(
        default_factory=lambda: int(os.environ.get("RPC_POOL_SIZE", "8"))
    )
    # LOKET_TENANTS_FILE: the tenants (municipalities) this gateway serves.
    tenants_file: Path = field(
        default_factory=lambda: Path(os.environ.get("LOKET_TENANTS_FILE", DEFAULT_TENANTS_FILE))
    )
    # LOKET_GATEWAY_SECRET: signs proof-of-work challenges and staff sessions. Required;
    # the same value in every gateway process (a challenge may come back to another one).
    secret: str = field(default_factory=lambda: os.environ.get("LOKET_GATEWAY_SECRET", ""))
    # LOKET_TRUSTED_PROXIES: how many reverse proxies stand in front of the gateway (their
    # X-Forwarded-For gives the client address for rate limits). 0: clients connect directly.
    trusted_proxies: int = field(
        default_factory=lambda: int(os.environ.get("LOKET_TRUSTED_PROXIES", "0"))
    )
    # LOKET_MAX_REQUEST_BYTES: the largest request body (an attachment upload with its form
    # fields); larger ones are refused with 413 before they are read.
    max_request_bytes: int = field(
        default_factory=lambda: int(os.environ.get("LOKET_MAX_REQUEST_BYTES", "11534336"))
    )
    # LOKET_ENVIRONMENT: "production" (default) refuses development identity providers and
    # plain-http issuers and sets Secure "__Host-" session cookies; "development" (make run,
    # tests) allows the development identity provider on loopback and http cookies.
    environment: str = field(
        default_factory=lambda: os.environ.get("LOKET_ENVIRONMENT", "production")
    )
    # LOKET_PSEUDONYM_KEY: the HMAC key of residents' pseudonymous subject ids. Required; never
    # change it (every resident would become someone new to the services).
    pseudonym_key: str = field(default_factory=lambda: os.environ.get("LOKET_PSEUDONYM_KEY", ""))
    # LOKET_RESIDENT_SESSION_IDLE_MINUTES / LOKET_RESIDENT_SESSION_MAX_MINUTES: a resident's
    # page session ends after this long without a request, and this long after sign-in.
    resident_idle_minutes: float = field(default_factory=lambda: float(
        os.environ.get("LOKET_RESIDENT_SESSION_IDLE_MINUTES", "20")))
    resident_max_minutes: float = field(default_factory=lambda: float(
        os.environ.get("LOKET_RESIDENT_SESSION_MAX_MINUTES", "480")))
    # LOKET_STAFF_SESSION_IDLE_MINUTES / LOKET_STAFF_SESSION_MAX_MINUTES: the same for staff.
    staff_idle_minutes: float = field(default_factory=lambda: float(
        os.environ.get("LOKET_STAFF_SESSION_IDLE_MINUTES", "30")))
    staff_max_minutes: float = field(default_factory=lambda: float(
        os.environ.get("LOKET_STAFF_SESSION_MAX_MINUTES", "600")))
    # HEALTH_TIMEOUT_SECONDS: how long /health waits for each dependency.
    health_timeout: float = field(
        default_factory=lambda: float(os.environ.get("HEALTH_TIMEOUT_SECONDS", "2"))
    )
