# SPDX-License-Identifier: EUPL-1.2
"""A development stand-in for an eID identity provider (OpenID Connect), for ``make run`` and tests.

Built on authlib's OAuth 2 server: authorization code with PKCE and ``OpenIDCode`` for the
gateway, the password grant (password ``demo``) for test and benchmark clients. Its RSA key
is made at start; access tokens are JWTs (iss, sub, aud = client id, exp, acr, names, email,
``loket_roles``). Demo users and clients come from ``demo_users.yml``. It runs on loopback
only and ships in no image; a production gateway refuses it (see docs/identity.md).

Run: ``python -m deploy.local.dev_identity_provider --port 8001`` with
``LOKET_DEV_IDP_SECRET`` (the clients' shared secret).
"""
from __future__ import annotations

import argparse
import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import InvalidRequestError, grants
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from flask import Flask, jsonify, request
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, KeySetSerialization, RSAKey

USERS_FILE = Path(__file__).with_name("demo_users.yml")
TRUST_LEVELS = ("low", "substantial", "high")
ACR_PREFIX = "http://eidas.europa.eu/LoA/"
ACCESS_TOKEN_SECONDS = 15 * 60
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
PASSWORD = "demo"  # noqa: S105 (the demo users' published password)


@dataclass(frozen=True)
class DemoUser:
    """A demo person as the sign-in page offers them, with this sign-in's trust level."""

    username: str
    audience: str
    given_name: str
    family_name: str
    email: str
    level: str = "low"
    roles: tuple[str, ...] = ()
    tenant: str = ""
    company: str = ""  # a business representative's company (shown in the user list)
    acr_level: str = "low"

    def get_user_id(self) -> str:
        return "demo-" + self.username

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def claims(self) -> dict[str, Any]:
        """The identity claims of ID token, access token and userinfo."""
        claims: dict[str, Any] = {
            "sub": self.get_user_id(), "name": self.name, "given_name": self.given_name,
            "family_name": self.family_name, "email": self.email,
            "acr": ACR_PREFIX + self.acr_level}
        if self.audience == "staff":
            claims["loket_roles"] = list(self.roles)
        return claims


@dataclass(frozen=True)
class Client:
    """An OAuth client (one per tenant and audience), confidential with the shared secret."""

    client_id: str
    audience: str
    secret: str

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> None:
        return None

    def get_allowed_scope(self, scope: str) -> str:
        allowed = {"openid", "profile", "email"}
        return " ".join(part for part in (scope or "").split() if part in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        """Only the gateway's one callback, on a loopback host (or *.localhost)."""
        from urllib.parse import urlsplit

        parts = urlsplit(redirect_uri)
        host = parts.hostname or ""
        return (parts.scheme == "http" and parts.path == "/auth/callback"
                and (host in LOOPBACK_HOSTS or host == "::1" or host.endswith(".localhost")))

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret or "", self.secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in ("authorization_code", "password")


@dataclass
class AuthorizationCode:
    """A code issued after the sign-in page, redeemed once at the token endpoint."""

    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: DemoUser
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))
    expires_at: float = field(default_factory=lambda: time.time() + 120)

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> str:
        return ACR_PREFIX + self.user.acr_level

    def get_amr(self) -> list[str]:
        return []


def load_users(path: Path = USERS_FILE) -> tuple[dict[str, DemoUser], list[dict]]:
    """Demo users by user name, and the clients, from ``demo_users.yml``."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    users = {}
    for audience in ("residents", "staff"):
        for username, item in (raw.get(audience) or {}).items():
            users[username] = DemoUser(
                username=username, audience=audience, given_name=item["given_name"],
                family_name=item["family_name"], email=item["email"],
                level=item.get("level", "substantial" if audience == "staff" else "low"),
                roles=tuple(item.get("roles", ())), tenant=item.get("tenant", ""),
                company=(item.get("representative_of") or {}).get("company_name", ""))
    return users, list(raw["clients"])


def level_from_acr_values(acr_values: str | None) -> str | None:
    """The lowest trust level asked for in ``acr_values`` (None when none is)."""
    asked = [value.removeprefix(ACR_PREFIX) for value in (acr_values or "").split()]
    known = [level for level in TRUST_LEVELS if level in asked]
    return known[0] if known else None


class Provider:
    """The signing key, the clients, the users and the one-time codes of one run."""

    def __init__(self, issuer: str, secret: str, users_file: Path = USERS_FILE) -> None:
        self.issuer = issuer.rstrip("/")
        self.kid = secrets.token_hex(8)
        self.key = RSAKey.generate_key(2048, parameters={"kid": self.kid,
                                                         "use": "sig", "alg": "RS256"})
        self.users, clients = load_users(users_file)
        self.clients = {item["id"]: Client(item["id"], item["audience"], secret)
                        for item in clients}
        self.codes: dict[str, AuthorizationCode] = {}

    def jwks(self) -> KeySetSerialization:
        return KeySet([self.key]).as_dict(private=False)

    def access_token(self, client: Client, user: DemoUser, scope: str) -> str:
        now = int(time.time())
        claims = {**user.claims(), "iss": self.issuer, "aud": client.client_id,
                  "client_id": client.client_id, "iat": now, "exp": now + ACCESS_TOKEN_SECONDS,
                  "jti": secrets.token_hex(12), "scope": scope}
        return jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims, self.key)

    def read_access_token(self, token: str) -> dict[str, Any] | None:
        """The claims of an access token this provider signed and that has not expired."""
        try:
            decoded = jwt.decode(token, self.key, algorithms=["RS256"])
            jwt.JWTClaimsRegistry(iss={"essential": True, "value": self.issuer},
                                  exp={"essential": True}).validate(decoded.claims)
        except (JoseError, ValueError):
            return None
        return decoded.claims


class RequiredCodeChallenge(CodeChallenge):
    """PKCE with S256 for every client (authlib requires it only of public clients)."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        if not grant.request.payload.data.get("code_challenge"):
            raise InvalidRequestError("PKCE is required: send code_challenge (S256).")
        super().validate_code_challenge(grant, redirect_uri)


def build_server(app: Flask, provider: Provider) -> AuthorizationServer:
    """Authlib's authorization server with the code (PKCE, OpenID) and password grants."""

    class CodeGrant(grants.AuthorizationCodeGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

        def save_authorization_code(self, code: str, request: Any) -> None:
            payload = request.payload
            provider.codes[code] = AuthorizationCode(
                code=code, client_id=request.client.client_id,
                redirect_uri=payload.redirect_uri, scope=payload.scope, user=request.user,
                nonce=payload.data.get("nonce"),
                code_challenge=payload.data.get("code_challenge"),
                code_challenge_method=payload.data.get("code_challenge_method"))

        def query_authorization_code(self, code: str, client: Client) -> Any:
            found = provider.codes.get(code)
            if found and found.client_id == client.client_id and found.expires_at > time.time():
                return found
            return None

        def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
            provider.codes.pop(authorization_code.code, None)

        def authenticate_user(self, authorization_code: AuthorizationCode) -> DemoUser:
            return authorization_code.user

    class PasswordGrant(grants.ResourceOwnerPasswordCredentialsGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

        def authenticate_user(self, username: str, password: str) -> DemoUser | None:
            user = provider.users.get(username)
            client = self.authenticate_token_endpoint_client()  # not yet on the request
            if user is None or password != PASSWORD or user.audience != client.audience:
                return None
            asked = level_from_acr_values(self.request.payload.data.get("acr_values"))
            level = asked if asked and _reaches(user, asked) else user.level
            return _with_level(user, level)

    class OpenIdExtension(OpenIDCode):
        def resolve_client_private_key(self, client: Client) -> RSAKey:
            return provider.key

        def get_client_algorithm(self, client: Client) -> str:
            return "RS256"

        def get_encode_header(self, client: Client) -> dict[str, str]:
            return {"alg": "RS256", "kid": provider.kid}

        def get_client_claims(self, client: Client) -> dict[str, Any]:
            return {"iss": provider.issuer, "aud": [client.client_id]}

        def exists_nonce(self, nonce: str, request: Any) -> bool:
            return any(code.nonce == nonce for code in provider.codes.values())

        def generate_user_info(self, user: DemoUser, scope: str) -> UserInfo:
            return UserInfo(user.claims())

    def generate_token(grant_type: str, client: Client, user: DemoUser | None = None,
                       scope: str | None = None, expires_in: int | None = None,
                       include_refresh_token: bool = True) -> dict[str, Any]:
        assert user is not None, "both grants registered here sign a user in"
        return {"token_type": "Bearer", "expires_in": ACCESS_TOKEN_SECONDS,
                "scope": scope or "",
                "access_token": provider.access_token(client, user, scope or "")}

    server = AuthorizationServer(app, query_client=provider.clients.get,
                                 save_token=lambda token, request: None)
    server.register_token_generator("default", generate_token)
    server.register_grant(CodeGrant, [RequiredCodeChallenge(required=True), OpenIdExtension()])
    server.register_grant(PasswordGrant)
    return server


def _reaches(user: DemoUser, level: str) -> bool:
    return TRUST_LEVELS.index(level) <= TRUST_LEVELS.index(user.level)


def _with_level(user: DemoUser, level: str) -> DemoUser:
    from dataclasses import replace

    return replace(user, acr_level=level)


def create_app(issuer: str, secret: str, users_file: Path = USERS_FILE) -> Flask:
    """The provider's web application (discovery, JWKS, authorize, token, userinfo)."""
    from .dev_identity_pages import register_sign_in_page

    app = Flask(__name__, template_folder=str(Path(__file__).with_name("templates")))
    provider = Provider(issuer, secret, users_file)
    server = build_server(app, provider)
    app.extensions["dev_idp"] = provider

    @app.get("/.well-known/openid-configuration")
    def discovery():
        base = provider.issuer
        return jsonify({
            "issuer": base, "authorization_endpoint": base + "/authorize",
            "token_endpoint": base + "/token", "userinfo_endpoint": base + "/userinfo",
            "jwks_uri": base + "/jwks", "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "profile", "email"],
            "grant_types_supported": ["authorization_code", "password"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic",
                                                      "client_secret_post"],
            "acr_values_supported": [ACR_PREFIX + level for level in TRUST_LEVELS],
            "claims_supported": ["sub", "name", "given_name", "family_name", "email", "acr",
                                 "loket_roles"],
            "ui_locales_supported": ["de", "en"]})

    @app.get("/jwks")
    def jwks():
        return jsonify(provider.jwks())

    @app.post("/token")
    def token():
        return server.create_token_response()

    @app.get("/userinfo")
    def userinfo():
        scheme, _, value = request.headers.get("Authorization", "").partition(" ")
        claims = provider.read_access_token(value.strip()) if scheme.lower() == "bearer" else None
        if claims is None:
            return jsonify({"error": "invalid_token"}), 401, {
                "WWW-Authenticate": 'Bearer error="invalid_token"'}
        return jsonify({key: value for key, value in claims.items()
                        if key not in ("iss", "aud", "exp", "iat", "jti", "scope", "client_id")})

    register_sign_in_page(app, server, provider)
    return app


def main() -> None:
    """Serve on loopback until stopped."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOKET_IDP_PORT", "8001")))
    parser.add_argument("--users", type=Path, default=USERS_FILE)
    args = parser.parse_args()
    secret = os.environ.get("LOKET_DEV_IDP_SECRET", "")
    if not secret:
        raise SystemExit("LOKET_DEV_IDP_SECRET is not set (the demo clients' shared secret).")
    issuer = f"http://127.0.0.1:{args.port}"
    from werkzeug.serving import run_simple

    from loket_common.logs import configure

    configure()  # werkzeug's request lines as JSON, the sign-in's state and codes redacted
    run_simple("127.0.0.1", args.port, create_app(issuer, secret, args.users), threaded=True)


if __name__ == "__main__":
    main()
