# SPDX-License-Identifier: EUPL-1.2
"""Each tenant's OpenID Connect providers (``tenants.yml``) and the production guard.

authlib's Flask client registry runs the sign-in flow against them. A provider entry:
``id``, ``label`` (per language), ``issuer`` or ``issuer_env``, ``client_id`` or
``client_id_env``, ``client_secret_env``, ``audience`` (``residents`` or ``staff``),
``development`` (true only for the local stand-in) and optionally ``acr_levels`` (``acr``
value -> trust level; default: the eIDAS levels).
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from authlib.integrations.flask_client import OAuth
from flask import Flask

from ..core.tenants import TenantRegistry
from .trust_levels import DEFAULT_ACR_LEVELS

AUDIENCES = ("residents", "staff")
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
SCOPE = "openid profile email"


@dataclass(frozen=True)
class IdentityProvider:
    """One OpenID Connect provider of one tenant."""

    tenant: str
    id: str
    audience: str
    issuer: str
    client_id: str
    client_secret: str = field(repr=False)
    label: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)
    development: bool = False
    acr_levels: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_ACR_LEVELS),
                                          hash=False, compare=False)

    @property
    def name(self) -> str:
        """Its name in authlib's client registry."""
        return f"{self.tenant}.{self.id}"


def _provider(tenant: str, item: dict, environ: Mapping[str, str]) -> IdentityProvider:
    issuer = item.get("issuer") or environ.get(item.get("issuer_env", ""), "")
    if not issuer:
        raise SystemExit(f"Identity provider {tenant}/{item.get('id')}: no issuer (set "
                         f"{item.get('issuer_env') or 'issuer'}; see docs/identity.md).")
    if not (item.get("client_id") or environ.get(item.get("client_id_env", ""))):
        raise SystemExit(f"Identity provider {tenant}/{item.get('id')}: no client id (set "
                         f"{item.get('client_id_env') or 'client_id'}; see docs/identity.md).")
    audience = item.get("audience", "residents")
    if audience not in AUDIENCES:
        raise SystemExit(f"Identity provider {tenant}/{item.get('id')}: audience must be "
                         f"one of {', '.join(AUDIENCES)}.")
    secret_env = item.get("client_secret_env", "")
    return IdentityProvider(
        tenant=tenant, id=item["id"], audience=audience, issuer=issuer.rstrip("/"),
        client_id=item.get("client_id") or environ.get(item.get("client_id_env", ""), ""),
        client_secret=environ.get(secret_env, "") if secret_env else "",
        label=dict(item.get("label", {})), development=bool(item.get("development", False)),
        acr_levels=dict(item.get("acr_levels") or DEFAULT_ACR_LEVELS))


def load_providers(tenants: TenantRegistry,
                   environ: Mapping[str, str] = os.environ) -> list[IdentityProvider]:
    """Every tenant's providers, in file order."""
    return [_provider(tenant.id, item, environ)
            for tenant in tenants.by_id.values() for item in tenant.identity_providers]


def check_environment(providers: list[IdentityProvider], environment: str) -> None:
    """Refuse to start with a provider the environment does not allow (SystemExit).

    Production: no development provider, https issuers only. Development: development
    providers only on loopback.
    """
    if environment not in ("production", "development"):
        raise SystemExit(f"LOKET_ENVIRONMENT must be production or development, "
                         f"not {environment!r}.")
    for provider in providers:
        parts = urlsplit(provider.issuer)
        where = f"identity provider {provider.tenant}/{provider.id} ({provider.issuer})"
        if environment == "production" and provider.development:
            raise SystemExit(f"Refusing to start: {where} is a development provider, which "
                             "is not allowed with LOKET_ENVIRONMENT=production.")
        if environment == "production" and parts.scheme != "https":
            raise SystemExit(f"Refusing to start: {where} has no https issuer, which "
                             "LOKET_ENVIRONMENT=production requires.")
        if provider.development and (parts.hostname or "") not in LOOPBACK_HOSTS:
            raise SystemExit(f"Refusing to start: {where} is a development provider off "
                             "loopback.")


class ProviderRegistry:
    """Providers by tenant and audience, with authlib's client for each."""

    def __init__(self, app: Flask, providers: list[IdentityProvider]) -> None:
        self.providers = providers
        self.oauth = OAuth(app)
        for provider in providers:
            self.oauth.register(
                name=provider.name, client_id=provider.client_id,
                client_secret=provider.client_secret,
                server_metadata_url=provider.issuer + "/.well-known/openid-configuration",
                client_kwargs={"scope": SCOPE, "code_challenge_method": "S256"})

    def for_tenant(self, tenant: str, audience: str | None = None) -> list[IdentityProvider]:
        """The tenant's providers (of ``audience`` if given)."""
        return [provider for provider in self.providers if provider.tenant == tenant
                and (audience is None or provider.audience == audience)]

    def named(self, name: str) -> IdentityProvider | None:
        """The provider with registry name ``name`` (``tenant.id``)."""
        return next((provider for provider in self.providers if provider.name == name), None)

    def client(self, provider: IdentityProvider):
        """Authlib's Flask client for ``provider``."""
        return self.oauth.create_client(provider.name)


def init_identity_providers(app: Flask, tenants: TenantRegistry, environment: str) -> None:
    """Load, check (the production guard) and register the providers on ``app``."""
    providers = load_providers(tenants)
    check_environment(providers, environment)
    app.extensions["loket_identity_providers"] = ProviderRegistry(app, providers)


def registry(app: Flask) -> ProviderRegistry:
    """The app's :class:`ProviderRegistry`."""
    return app.extensions["loket_identity_providers"]


def provider_origins(app: Flask) -> list[str]:
    """The origins (scheme://host[:port]) of every provider's issuer."""
    origins = []
    for provider in registry(app).providers:
        parts = urlsplit(provider.issuer)
        origins.append(f"{parts.scheme}://{parts.netloc}")
    return origins
