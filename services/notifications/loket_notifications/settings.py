# SPDX-License-Identifier: EUPL-1.2
"""The notifications service's settings: the common ones plus its key, relays and retries.

Each variable is declared here once; :meth:`Settings.nameko_config` passes them on under
their own names, and :class:`~loket_notifications.options.Options` reads them back from
Nameko's config (with the same defaults, for tests that start the service with a bare
config).
"""
from __future__ import annotations

from typing import Any

from pydantic import field_validator

from loket_common.sealing import NOTIFICATIONS_PRIVATE_KEY_VARIABLE, public_key_of
from loket_common.settings import LoketSettings, ServiceSettings, variable

from .delivery.relays import parse_relays
from .options import Options


class TimerSettings(LoketSettings):
    """The retention timer's interval, which Nameko's ``@timer`` needs at import."""

    timer_seconds: float = variable(
        "NOTIFICATIONS_TIMER_SECONDS", 60, "how often message contents past their retention "
        "and links past their appointment are deleted", gt=0)


class Settings(ServiceSettings, TimerSettings):
    """What the notifications service reads from the environment."""

    mongo_database: str = variable("NOTIFICATIONS_MONGO_DATABASE", "loket_notifications",
                                   "its database")
    private_key: str = variable(
        NOTIFICATIONS_PRIVATE_KEY_VARIABLE, ..., "private key of the notifications service: "
        "it opens the manage and status tokens sealed to its public key "
        "`LOKET_NOTIFICATIONS_PUBLIC_KEY` ([docs/data-protection.md](docs/data-protection.md))",
        form="32 bytes in URL-safe base64", secret=True, repr=False,
        shown="(required; `make run` and the tests make their own)")
    config_dir: str = variable(
        "NOTIFICATIONS_CONFIG_DIR", Options.config_dir, "a directory of tenant files "
        "(`<tenant>.yml`) used instead of the built-in ones", shown="(built-in)")
    templates_dir: str = variable(
        "NOTIFICATIONS_TEMPLATES_DIR", Options.templates_dir, "a directory of template "
        "overrides per tenant and language", shown="(built-in)")
    smtp_relays: str = variable(
        "NOTIFICATIONS_SMTP_RELAYS", Options.smtp_relays, "SMTP relays: "
        "`id=smtp://[user:pass@]host:port?security=starttls&timeout=10&rate=50` (security: "
        "starttls, tls or none) separated by commas; a tenant lists relay ids in failover "
        "order (a password may also come from `NOTIFICATIONS_SMTP_PASSWORD_<ID>`)",
        form="id=smtp://host:port?... separated by commas", secret=True, repr=False,
        shown="(none; `make run` sets its mail catcher)")
    smtp_ca_file: str = variable(
        "NOTIFICATIONS_SMTP_CA_FILE", Options.smtp_ca_file, "a CA certificate file the relays' "
        "TLS certificates are checked against, besides the system's (test relays)",
        shown="(system CAs)")
    retry_first_seconds: float = variable(
        "NOTIFICATIONS_RETRY_FIRST_SECONDS", Options.retry_first_seconds,
        "wait before the first retry of a message that failed temporarily (doubled each time)",
        gt=0)
    retry_max_seconds: float = variable(
        "NOTIFICATIONS_RETRY_MAX_SECONDS", Options.retry_max_seconds,
        "longest wait between two retries", gt=0)
    retry_hours: float = variable(
        "NOTIFICATIONS_RETRY_HOURS", Options.retry_hours,
        "how long a message is retried at least before it fails permanently", gt=0)
    content_retention_days: int = variable(
        "NOTIFICATIONS_CONTENT_RETENTION_DAYS", Options.content_retention_days,
        "days a message's content (address, subject, text) is kept; its state is kept longer",
        ge=1)
    senders: int = variable("NOTIFICATIONS_SENDERS", Options.senders,
                            "messages sent at once per instance (each is a worker: keep it below "
                            "`MAX_WORKERS`)", ge=1)
    lease_seconds: float = variable(
        "NOTIFICATIONS_LEASE_SECONDS", Options.lease_seconds, "how long an instance owns a "
        "message it is sending; after that (the instance died) another one takes it", gt=0)
    poll_seconds: float = variable(
        "NOTIFICATIONS_POLL_SECONDS", Options.poll_seconds, "how often the dispatcher looks "
        "for due messages (it is also nudged by each new one)", gt=0)
    rpc_timeout_seconds: float = variable(
        "NOTIFICATIONS_RPC_TIMEOUT_SECONDS", Options.rpc_timeout_seconds,
        "how long a recipient look-up waits for the owning service (then: retried later)",
        gt=0)
    sms_url: str = variable("NOTIFICATIONS_SMS_URL", Options.sms_url,
                            "the SMS provider's HTTP endpoint (empty: no SMS)",
                            shown="(none)")
    sms_token: str = variable("NOTIFICATIONS_SMS_TOKEN", "", "the SMS provider's bearer token",
                              secret=True, repr=False, shown="(none)")

    @field_validator("private_key")
    @classmethod
    def _usable_key(cls, value: str) -> str:
        public_key_of(value)  # raises BadSealingKey (a ValueError) for a bad key
        return value

    @field_validator("smtp_relays")
    @classmethod
    def _usable_relays(cls, value: str) -> str:
        parse_relays(value)  # a ValueError naming the relay and the part that is wrong
        return value

    def nameko_config(self) -> dict[str, Any]:
        """The common config plus what the notifications dependencies read."""
        return {**super().nameko_config(),
                NOTIFICATIONS_PRIVATE_KEY_VARIABLE: self.private_key,
                "NOTIFICATIONS_SMS_TOKEN": self.sms_token,
                **Options(
                    config_dir=self.config_dir, templates_dir=self.templates_dir,
                    smtp_relays=self.smtp_relays, smtp_ca_file=self.smtp_ca_file,
                    retry_first_seconds=self.retry_first_seconds,
                    retry_max_seconds=self.retry_max_seconds, retry_hours=self.retry_hours,
                    content_retention_days=self.content_retention_days, senders=self.senders,
                    lease_seconds=self.lease_seconds, poll_seconds=self.poll_seconds,
                    rpc_timeout_seconds=self.rpc_timeout_seconds,
                    sms_url=self.sms_url).config()}
