# SPDX-License-Identifier: EUPL-1.2
"""The real channels and renderer, wired into the service as two dependencies.

Tests replace both dependencies (``replace_dependencies``) with other implementations of
the same interfaces (a recording channel, the real renderer).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from nameko.extensions import DependencyProvider

from loket_common.mongo import connect

from .delivery import channels, relays, sms
from .delivery.rate_limit import RelayRateLimit
from .options import Options
from .rendering import Renderer


class ChannelSet:
    """One channel per tenant and kind of channel: email through the tenant's relays."""

    def __init__(self, options: Options, database: Any, sms_token: str) -> None:
        self.all_relays = relays.parse_relays(options.smtp_relays)
        self.limiter = RelayRateLimit(database)
        self.options = options
        self.sms_token = sms_token
        self.cache: dict[tuple[str, str], Any] = {}

    def for_tenant(self, tenant: dict[str, Any], channel: str) -> Any:
        """The ``channel`` ("email" or "sms") of ``tenant`` (its file's dict)."""
        key = (tenant["id"], channel)
        if key not in self.cache:
            self.cache[key] = self._build(tenant, channel)
        return self.cache[key]

    def _build(self, tenant: dict[str, Any], channel: str) -> Any:
        if channel == "sms":
            if not self.options.sms_url:
                raise LookupError("no SMS provider (NOTIFICATIONS_SMS_URL)")
            provider = sms.HttpSmsProvider(self.options.sms_url, self.sms_token or None)
            return channels.sms_channel(provider)
        chosen = relays.relays_for(tenant.get("relays") or [], self.all_relays)
        return channels.email_channel(
            chosen, self.limiter, ca_file=self.options.smtp_ca_file or None)


class Channels(DependencyProvider):
    """Gives workers the :class:`ChannelSet` (``self.channels.for_tenant(tenant, "email")``)."""

    def setup(self) -> None:
        config = self.container.config
        self.client = connect(config["MONGO_URI"])
        self.channel_set: ChannelSet | None = None

    def start(self) -> None:
        config = self.container.config
        self.channel_set = ChannelSet(Options.from_config(config),
                                      self.client[config["MONGO_DATABASE"]],
                                      str(config.get("NOTIFICATIONS_SMS_TOKEN") or ""))

    def stop(self) -> None:
        channels.close_shared_pools()
        self.client.close()

    def get_dependency(self, worker_ctx: Any) -> ChannelSet | None:
        return self.channel_set


class Templates(DependencyProvider):
    """Gives workers the renderer (``loket_notifications.rendering.Renderer``)."""

    def setup(self) -> None:
        self.renderer: Any = None

    def start(self) -> None:
        options = Options.from_config(self.container.config)
        self.renderer = Renderer(Path(options.templates_dir)
                                           if options.templates_dir else None)

    def get_dependency(self, worker_ctx: Any) -> Any:
        return self.renderer
