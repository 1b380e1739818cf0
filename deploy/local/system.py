# SPDX-License-Identifier: EUPL-1.2
"""The whole local system as ``make run`` starts it (also used by the end-to-end tests)."""
from __future__ import annotations

import json
import os
import secrets
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from loket_common.tokens import token_hash

from .infra import ensure_rabbitmq, start_secantusdb
from .local_keys import local_keys
from .processes import ProcessGroup

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("appointments", "permits", "profile")
BIN = Path(sys.executable).parent


@dataclass
class System:
    """SecantusDB, RabbitMQ (if needed), the three services and the gateway."""

    var_dir: Path
    gateway_port: int = 8000
    mongo_port: int = 27017
    amqp_uri: str = field(default_factory=lambda: os.environ.get(
        "AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/"))
    extra_env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.group = ProcessGroup(self.var_dir / "log")
        self.mongo_uri = ""
        # A fresh demo staff token each run (only its hash reaches the gateway).
        self.staff_token = secrets.token_urlsafe(18)
        self.gateway_secret = secrets.token_urlsafe(32)

    @property
    def url(self) -> str:
        """Where the gateway answers."""
        return f"http://127.0.0.1:{self.gateway_port}"

    def env(self) -> dict[str, str]:
        """The environment every service and the gateway get."""
        return {"AMQP_URI": self.amqp_uri, "MONGO_URI": self.mongo_uri,
                "GATEWAY_BIND": f"127.0.0.1:{self.gateway_port}",
                "LOKET_STAFF_TOKENS": "musterstadt:tenant_admin:"
                                      + token_hash(self.staff_token),
                "LOKET_GATEWAY_SECRET": self.gateway_secret,
                **local_keys(self.var_dir),
                # Rate-limit counts shared by the gateway's worker processes.
                "RATE_LIMIT_STORAGE_URI": self.mongo_uri,
                **self.extra_env}

    def start(self) -> None:
        """Start everything, declare the event topology, seed the demo tenant, wait for health."""
        try:
            ensure_rabbitmq(self.group, self.amqp_uri, self.var_dir)
            self.mongo_uri = start_secantusdb(self.group, self.var_dir / "secantusdb",
                                              self.mongo_port)
            self._run_tool("loket-declare-topology", str(ROOT / "deploy" / "topology.yml"))
            self._run_tool("loket-appointments-seed")
            self._run_tool("loket-permits-seed")
            for service in SERVICES:
                self.group.start(service, [str(BIN / "loket-service"), "run",
                                           "--config", "config.yml", f"loket_{service}.service"],
                                 cwd=ROOT / "services" / service, env=self.env())
            self.group.start("gateway", [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py"],
                             cwd=ROOT / "services" / "gateway", env=self.env())
            self.wait_healthy(90)
        except BaseException:
            self.stop()
            raise

    def _run_tool(self, name: str, *args: str) -> None:
        import subprocess

        subprocess.run([str(BIN / name), *args], check=True, env={**os.environ, **self.env()},
                       stdout=subprocess.DEVNULL)

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
