# SPDX-License-Identifier: EUPL-1.2
"""The whole local system as ``make run`` starts it (also used by the end-to-end tests)."""
from __future__ import annotations

import json
import os
import secrets
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from loket_common.crypto import new_key
from loket_common.settings import DEFAULT_AMQP_URI

from .dev_identity_provider import load_users
from .infra import ensure_rabbitmq, free_port, start_secantusdb, wait_for_port
from .local_keys import PRIVATE, local_keys, shared_keys
from .processes import ProcessGroup

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("appointments", "permits", "profile", "notifications", "statistics")
# The development mail catcher's test addresses (README, "Reading the development mail"):
# refused@..., refused+x@... get 550 5.1.1; bounce@..., bounce+x@... are accepted, then bounced.
REFUSE_PATTERN = r"^refused(\+[^@]*)?@"
BOUNCE_PATTERN = r"^bounce(\+[^@]*)?@"
BIN = Path(sys.executable).parent


@dataclass
class System:
    """Everything ``make run`` runs, on this machine.

    SecantusDB, RabbitMQ (if needed), the development mail catcher, the services, the
    bounce receiver, the development identity provider, the gateway.
    """

    var_dir: Path
    gateway_port: int = 8000
    idp_port: int = 8001
    mongo_port: int = 27017
    # 0: a free port (``make run`` asks for 1025, 8025 and 2526).
    mail_smtp_port: int = 0  # the development mail catcher: SMTP (the relay "local") ...
    mail_http_port: int = 0  # ... and its mailbox page, JSON API and fake SMS provider
    bounce_port: int = 0  # the notifications service's bounce receiver (SMTP)
    amqp_uri: str = field(default_factory=lambda: os.environ.get("AMQP_URI", DEFAULT_AMQP_URI))
    extra_env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.group = ProcessGroup(self.var_dir / "log")
        self.mail_smtp_port = self.mail_smtp_port or free_port()
        self.mail_http_port = self.mail_http_port or free_port()
        self.bounce_port = self.bounce_port or free_port()
        self.mongo_uri = ""
        self.gateway_secret = secrets.token_urlsafe(32)
        # Fresh each run: the demo clients' secret and the key sealing RPC (RPC messages
        # live only while their caller waits, so no later run needs it).
        self.idp_secret = secrets.token_urlsafe(24)
        self.rpc_key = new_key()
        # Kept with the data (var/local-keys.json): subjects must not change between runs.
        self.pseudonym_key = local_keys(self.var_dir)["LOKET_PSEUDONYM_KEY"]

    @property
    def url(self) -> str:
        """Where the gateway answers."""
        return f"http://127.0.0.1:{self.gateway_port}"

    @property
    def mailbox_url(self) -> str:
        """Where the development mailbox answers (pages, ``/api/messages``, ``POST /sms``)."""
        return f"http://127.0.0.1:{self.mail_http_port}"

    @property
    def idp_url(self) -> str:
        """Where the development identity provider answers (its issuer)."""
        return f"http://127.0.0.1:{self.idp_port}"

    def token_for(self, username: str, tenant: str | None = None,
                  level: str | None = None) -> str:
        """An access token for a demo user from the development identity provider.

        Password grant, for ``tenant`` (default: the user's own) at trust ``level``
        (default: the highest the user reaches).
        """
        user = load_users()[0][username]
        tenant = tenant or user.tenant
        form = {"grant_type": "password", "username": username, "password": "demo",
                "scope": "openid profile email", "client_id": f"{tenant}-{user.audience}",
                "client_secret": self.idp_secret}
        if level:
            form["acr_values"] = "http://eidas.europa.eu/LoA/" + level
        request = urllib.request.Request(  # noqa: S310 (the local provider)
            self.idp_url + "/token", data=urllib.parse.urlencode(form).encode(), method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return json.load(response)["access_token"]

    def env(self) -> dict[str, str]:
        """The environment every service and the gateway get."""
        return {"AMQP_URI": self.amqp_uri, "MONGO_URI": self.mongo_uri,
                "GATEWAY_BIND": f"127.0.0.1:{self.gateway_port}",
                "LOKET_GATEWAY_SECRET": self.gateway_secret,
                "LOKET_RPC_KEYS": self.rpc_key,
                **shared_keys(self.var_dir),
                # The development identity provider; never in production (docs/identity.md).
                "LOKET_ENVIRONMENT": "development",
                "LOKET_DEV_IDP_URL": self.idp_url,
                "LOKET_DEV_IDP_SECRET": self.idp_secret,
                # The gateway's own database (page sessions), and its rate-limit counts,
                # shared by its worker processes.
                "GATEWAY_MONGO_URI": self.mongo_uri,
                "RATE_LIMIT_STORAGE_URI": self.mongo_uri,
                # The demo tenants' public URLs (tenants.yml): every absolute link is built
                # on them, and their hosts are the ones served.
                "LOKET_MUSTERSTADT_PUBLIC_URL": self.url,
                "LOKET_BEISPIELSTADT_PUBLIC_URL": f"http://beispielstadt.localhost:{self.gateway_port}",
                **self.extra_env}

    def notifications_env(self) -> dict[str, str]:
        """The notifications service's environment.

        :meth:`env`, its relay (the mail catcher), its SMS provider (the catcher's ``/sms``)
        and its private key, which no other process gets.
        """
        private = {name: key for name, key in local_keys(self.var_dir).items() if name in PRIVATE}
        return {**self.env(),
                "NOTIFICATIONS_SMTP_RELAYS":
                    f"local=smtp://127.0.0.1:{self.mail_smtp_port}?security=none",
                "NOTIFICATIONS_SMS_URL": self.mailbox_url + "/sms",
                **private, **self.extra_env}

    def bounces_env(self) -> dict[str, str]:
        """The bounce receiver's environment: :meth:`env` and where it listens."""
        return {**self.env(), "NOTIFICATIONS_BOUNCE_BIND": f"127.0.0.1:{self.bounce_port}",
                **self.extra_env}

    def start_mail_catcher(self) -> None:
        """Start the development mail catcher (again); return once SMTP and HTTP answer.

        Its messages stay in ``<var_dir>/mail`` across restarts.
        """
        if any(name == "mail-catcher" and process.poll() is None
               for name, process in self.group.children):
            return  # already running
        self.group.start("mail-catcher", [
            sys.executable, "-m", "deploy.local.mail_catcher",
            "--smtp-port", str(self.mail_smtp_port), "--http-port", str(self.mail_http_port),
            "--dir", str(self.var_dir / "mail"), "--refuse-rcpt-pattern", REFUSE_PATTERN,
            "--bounce-pattern", BOUNCE_PATTERN,
            "--bounce-relay", f"127.0.0.1:{self.bounce_port}"], cwd=ROOT)
        wait_for_port("127.0.0.1", self.mail_smtp_port, 30, "the mail catcher")
        wait_for_port("127.0.0.1", self.mail_http_port, 30, "the development mailbox")

    def stop_mail_catcher(self) -> None:
        """Stop the mail catcher (the relay is down: sends fail until it starts again)."""
        self.group.stop_child("mail-catcher")

    def start(self) -> None:
        """Start everything, declare the event topology, seed the demo tenant, wait for health."""
        try:
            ensure_rabbitmq(self.group, self.amqp_uri, self.var_dir)
            self.mongo_uri = start_secantusdb(self.group, self.var_dir / "secantusdb",
                                              self.mongo_port)
            self._run_tool("loket-declare-topology", str(ROOT / "deploy" / "topology.yml"))
            self._run_tool("loket-appointments-seed")
            self._run_tool("loket-permits-seed")
            self.start_mail_catcher()
            for service in SERVICES:
                self.group.start(service, [str(BIN / "loket-service"), "run",
                                           f"loket_{service}.service"],
                                 cwd=ROOT / "services" / service,
                                 env=self.notifications_env() if service == "notifications"
                                 else self.env())
            self.group.start("notifications-bounces", [str(BIN / "loket-notifications-bounces")],
                             cwd=ROOT / "services" / "notifications", env=self.bounces_env())
            self.group.start("identity-provider",
                             [sys.executable, "-m", "deploy.local.dev_identity_provider",
                              "--port", str(self.idp_port)], cwd=ROOT, env=self.env())
            self._wait_for_idp(30)
            self.group.start("gateway", [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py"],
                             cwd=ROOT / "services" / "gateway", env=self.env())
            self.wait_healthy(90)
            wait_for_port("127.0.0.1", self.bounce_port, 30, "the bounce receiver")
        except BaseException:
            self.stop()
            raise

    def _wait_for_idp(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if "identity-provider" in self.group.dead():
                raise SystemExit(f"identity-provider exited; see {self.group.log_dir}")
            try:
                with urllib.request.urlopen(  # noqa: S310 (loopback)
                        self.idp_url + "/.well-known/openid-configuration", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"the identity provider did not start in {seconds:.0f} s")

    def _run_tool(self, name: str, *args: str, env: dict[str, str] | None = None) -> None:
        """Run a one-shot tool with :meth:`env` (or ``env``, e.g. :meth:`notifications_env`)."""
        import subprocess

        subprocess.run([str(BIN / name), *args], check=True,
                       env={**os.environ, **(env or self.env())}, stdout=subprocess.DEVNULL)

    def health(self) -> tuple[int, dict]:
        """Status and body of ``GET /health`` (0 when the gateway does not answer)."""
        try:
            with urllib.request.urlopen(self.url + "/health", timeout=5) as response:  # noqa: S310
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            return error.code, json.load(error)
        except (OSError, ValueError):
            return 0, {}

    def wait_healthy(self, seconds: float) -> None:
        """Wait until ``/health`` says everything is up; fail naming a crashed process."""
        deadline = time.monotonic() + seconds
        body: dict = {}
        while time.monotonic() < deadline:
            dead = self.group.dead()
            if dead:
                raise SystemExit(f"{', '.join(dead)} exited; see {self.group.log_dir}")
            status, body = self.health()
            if status == 200:
                return
            time.sleep(0.3)
        raise SystemExit(f"the system did not become healthy in {seconds:.0f} s: {body}")

    def stop(self) -> None:
        """Stop everything this system started."""
        self.group.stop()

