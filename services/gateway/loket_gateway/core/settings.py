# SPDX-License-Identifier: EUPL-1.2
"""The gateway's settings: each environment variable it reads, declared once (README).

``Settings()`` reads the environment; keyword arguments override it (tests). A bad value
stops the process with a message naming the variable (:class:`loket_common.settings.SettingsError`).
"""
from __future__ import annotations

from ipaddress import ip_network
from pathlib import Path
from typing import Any, Literal

from limits import parse_many
from pydantic import ValidationInfo, field_validator

from loket_common.settings import DEFAULT_AMQP_URI, DEFAULT_MONGO_URI, RpcSettings, variable

DEFAULT_TENANTS_FILE = Path(__file__).with_name("tenants.yml")
LIMIT_FORM = "limits such as 10/minute;30/hour"


def rate_limit(name: str, default: str, meaning: str) -> Any:
    """A rate-limit field: ``N/period`` items separated by ``;``."""
    return variable(name, default, meaning, form=LIMIT_FORM)


class Settings(RpcSettings):
    """What the gateway needs to know about its surroundings (gunicorn's part included)."""

    bind: str = variable("GATEWAY_BIND", "127.0.0.1:8000", "where gunicorn listens")
    workers: int = variable("GATEWAY_WORKERS", 2, "gunicorn worker processes", ge=1)
    threads: int = variable("GATEWAY_THREADS", 8, "threads per worker (gthread)", ge=1)
    access_log: str = variable(
        "GATEWAY_ACCESS_LOG", "", "any value (e.g. `-`) adds gunicorn's own access line, "
        "without query strings, to the JSON log on stderr; the gateway's `request` line is "
        "always there", shown="(off)")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = variable(
        "LOG_LEVEL", "INFO", "log level of the gateway's JSON log")
    amqp_uri: str = variable("AMQP_URI", DEFAULT_AMQP_URI, "RabbitMQ for RPC to the services")
    rpc_pool_size: int = variable("RPC_POOL_SIZE", 8, "RPC proxies per worker process (one per "
                                  "concurrent request)", ge=1)
    rpc_timeout: float = variable("RPC_TIMEOUT_SECONDS", 10, "how long a request waits for a "
                                  "service before `504 service_timeout`", gt=0)
    health_timeout: float = variable("HEALTH_TIMEOUT_SECONDS", 2, "how long `/health` waits "
                                     "for each dependency", gt=0)
    environment: Literal["production", "development"] = variable(
        "LOKET_ENVIRONMENT", "production", "`production` refuses development identity providers "
        "and non-https issuers and sets `Secure` `__Host-` session cookies; `development` allows "
        "the development provider on loopback ([docs/identity.md](docs/identity.md))",
        shown="`production` (`make run`, tests: `development`)")
    pseudonym_key: str = variable(
        "LOKET_PSEUDONYM_KEY", "", "HMAC key of residents' pseudonymous subject ids (`r-` + 32 "
        "hex); never change it in a deployment (every resident would become someone new)",
        shown="(required; `make run` makes one, kept in `var/local-keys.json` with the data "
        "keys)", secret=True, repr=False)
    mongo_uri: str = variable(
        "GATEWAY_MONGO_URI", DEFAULT_MONGO_URI, "the gateway's own MongoDB: signed-in page "
        "sessions (a 503 while it cannot be reached)", shown=f"`{DEFAULT_MONGO_URI}` (`make "
        "run`: its SecantusDB; compose: the MongoDB)")
    mongo_database: str = variable("GATEWAY_MONGO_DATABASE", "loket_gateway",
                                   "the gateway's database there")
    resident_idle_minutes: float = variable(
        "LOKET_RESIDENT_SESSION_IDLE_MINUTES", 20, "a resident's page session ends after this "
        "long without a request", gt=0)
    resident_max_minutes: float = variable(
        "LOKET_RESIDENT_SESSION_MAX_MINUTES", 480, "a resident's page session ends this long "
        "after sign-in", gt=0)
    staff_idle_minutes: float = variable("LOKET_STAFF_SESSION_IDLE_MINUTES", 30, "the same for "
                                         "staff: without a request", gt=0)
    staff_max_minutes: float = variable("LOKET_STAFF_SESSION_MAX_MINUTES", 600, "the same for "
                                        "staff: after sign-in", gt=0)
    secret: str = variable(
        "LOKET_GATEWAY_SECRET", "", "signs proof-of-work challenges and form (CSRF) tokens, and "
        "keys the rate-limit store's pseudonyms of client addresses (HMAC, key by HKDF); the same "
        "in every gateway process (a challenge may come back to another one)",
        shown="(required; `make run` makes one per run)", secret=True, repr=False)
    trusted_proxies: int = variable(
        "LOKET_TRUSTED_PROXIES", 0, "reverse proxies in front of the gateway whose "
        "`X-Forwarded-For` names the client (rate limits); 0 = clients connect directly", ge=0)
    trust_forwarded_host: bool = variable(
        "LOKET_TRUST_FORWARDED_HOST", False, "`true`: the host name comes from the trusted "
        "proxies' `X-Forwarded-Host` (served only if a tenant names it, like `Host`); `false`: "
        "the proxy passes `Host` on. Links never use either: they come from each tenant's "
        "public URL", shown="`false`",
        form="`false`, or `true` with `LOKET_TRUSTED_PROXIES` of 1 or more")
    search_limit: str = rate_limit("RATE_LIMIT_SEARCH", "60/minute", "availability searches per "
                                   "client address (`/slots`, `/slots/first` together)")
    hold_limit: str = rate_limit("RATE_LIMIT_HOLD", "10/minute;30/hour",
                                 "holds per client address")
    booking_person_limit: str = rate_limit(
        "RATE_LIMIT_BOOKING_PERSON", "5/hour;20/day", "booking confirmations and lottery entries "
        "per person (per email address, hashed), API and pages together")
    booking_address_limit: str = rate_limit(
        "RATE_LIMIT_BOOKING_ADDRESS", "3/hour;10/day", "confirmed bookings per client address, "
        "API and pages together (only confirmations count)")
    booking_network_limit: str = rate_limit(
        "RATE_LIMIT_BOOKING_NETWORK", "10/hour;30/day", "confirmed bookings per client network "
        "(IPv4 /24, IPv6 /64), API and pages together")
    exempt_networks: str = variable(
        "RATE_LIMIT_EXEMPT_NETWORKS", "", "client networks (CIDR, comma-separated) free of the "
        "booking limits per address and network and of the rising proof of work, e.g. the "
        "offices' own kiosks", form="CIDR networks such as 10.1.2.0/24,2001:db8::/64",
        shown="(none; the e2e tests: their own client addresses)")
    pow_free_per_address: int = variable(
        "PROOF_OF_WORK_FREE_PER_ADDRESS", 10, "challenges, holds and bookings of one client "
        "address in an hour before each further one doubles the proof of work and the no-JS "
        "wait", ge=0)
    pow_free_per_network: int = variable(
        "PROOF_OF_WORK_FREE_PER_NETWORK", 40, "the same for a client network (IPv4 /24, "
        "IPv6 /64)", ge=0)
    pow_max_doublings: int = variable(
        "PROOF_OF_WORK_MAX_DOUBLINGS", 5, "at most this many doublings (5: 32 times the "
        "tenant's `proof_of_work_difficulty` and its wait)", ge=0, le=16)
    challenge_limit: str = rate_limit("RATE_LIMIT_CHALLENGE", "30/minute",
                                      "proof-of-work challenges per client address")
    application_limit: str = rate_limit(
        "RATE_LIMIT_APPLICATION", "30/minute;300/day", "permit application writes per client "
        "address (create, change, attach, remove an attachment, submit, withdraw, answer; one "
        "count)")
    upload_limit: str = rate_limit("RATE_LIMIT_UPLOAD", "10/minute;100/day", "attachment uploads "
                                   "per client address (on top of `RATE_LIMIT_APPLICATION`)")
    rate_limit_storage_uri: str = variable(
        "RATE_LIMIT_STORAGE_URI", "memory://", "where rate-limit counts live; `memory://` counts "
        "per process", shown="`memory://` (`make run`, compose: the MongoDB)")
    max_request_bytes: int = variable(
        "LOKET_MAX_REQUEST_BYTES", 11534336, "the largest request body, i.e. an attachment "
        "upload with its form fields; larger ones get `413 request_too_large` before they are "
        "read", shown="`11534336` (11 MiB)", ge=1)
    tenants_file: Path = variable(
        "LOKET_TENANTS_FILE", DEFAULT_TENANTS_FILE, "the municipalities this gateway serves (id, "
        "public URL, host names, languages, names, identity providers, trust level per action)",
        form="a file", shown="the bundled `tenants.yml` (compose: "
        "`deploy/tenants.production.yml`)")

    @field_validator("search_limit", "hold_limit", "booking_person_limit",
                     "booking_address_limit", "booking_network_limit", "challenge_limit",
                     "application_limit", "upload_limit")
    @classmethod
    def _parses_as_limits(cls, value: str) -> str:
        try:
            parse_many(value)
        except ValueError:
            raise ValueError(LIMIT_FORM) from None
        return value

    @field_validator("exempt_networks")
    @classmethod
    def _parses_as_networks(cls, value: str) -> str:
        try:
            [ip_network(item.strip(), strict=False) for item in value.split(",") if item.strip()]
        except ValueError:
            raise ValueError("CIDR networks such as 10.1.2.0/24,2001:db8::/64") from None
        return value

    @field_validator("trust_forwarded_host")
    @classmethod
    def _forwarded_by_a_trusted_proxy(cls, value: bool, info: ValidationInfo) -> bool:
        if value and not info.data.get("trusted_proxies"):
            raise ValueError("true needs LOKET_TRUSTED_PROXIES of 1 or more")
        return value
