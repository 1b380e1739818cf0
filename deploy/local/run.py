# SPDX-License-Identifier: EUPL-1.2
"""``make run``: start Loket locally on the embedded default, until Ctrl-C.

Environment: AMQP_URI (default ``loket_common.settings.DEFAULT_AMQP_URI``),
LOKET_PORT (gateway, default 8000), LOKET_IDP_PORT (development identity provider,
default 8001), LOKET_MONGO_PORT (SecantusDB, default 27017), LOKET_MAIL_SMTP_PORT and
LOKET_MAIL_HTTP_PORT (the development mail catcher's SMTP server and mailbox page, default
1025 and 8025), LOKET_BOUNCE_PORT (the bounce receiver, default 2526),
LOKET_VAR_DIR (data, mail and logs, default ./var).

It writes ``<var>/operator.env`` each run: sourced in another shell, the operators' commands
(``loket-statistics-publish``, ``-verify``, ``-rebuild``) reach this run's broker and database.
"""
from __future__ import annotations

import os
import shlex
import signal
import time
from pathlib import Path

from .dev_identity_provider import load_users
from .system import ROOT, SERVICES, System

SUPERVISED = (*SERVICES, "notifications-bounces", "mail-catcher", "identity-provider", "gateway")


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM stops the runner like Ctrl-C does."""
    raise KeyboardInterrupt


def demo_users_text() -> str:
    """The demo users, one line each (no tokens: they sign in on the provider's page)."""
    users = load_users()[0]
    lines = []
    for user in users.values():
        what = (", ".join(user.roles) if user.audience == "staff"
                else f"resident of {user.tenant}, up to trust level {user.level}"
                + (f", representative of {user.company}" if user.company else ""))
        lines.append(f"    {user.username:<7} {user.name:<20} {what}")
    return "\n".join(lines)


def write_operator_env(system: System) -> Path:
    """``<var>/operator.env``: what the operators' commands need to reach this run.

    The statistics service's environment as shell ``export`` lines (owner-readable only:
    it holds this run's RPC key and the local data keys).
    """
    path = system.var_dir / "operator.env"
    lines = [f"export {name}={shlex.quote(value)}" for name, value in sorted(system.env().items())]
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write("# Written by `make run` for this run; source it: . " + str(path) + "\n")
        file.write("\n".join(lines) + "\n")
    return path


def main() -> None:
    """Start, print where to go, and stop everything on Ctrl-C (or SIGTERM)."""
    system = System(
        var_dir=Path(os.environ.get("LOKET_VAR_DIR", ROOT / "var")),
        gateway_port=int(os.environ.get("LOKET_PORT", "8000")),
        mongo_port=int(os.environ.get("LOKET_MONGO_PORT", "27017")),
        idp_port=int(os.environ.get("LOKET_IDP_PORT", "8001")),
        mail_smtp_port=int(os.environ.get("LOKET_MAIL_SMTP_PORT", "1025")),
        mail_http_port=int(os.environ.get("LOKET_MAIL_HTTP_PORT", "8025")),
        bounce_port=int(os.environ.get("LOKET_BOUNCE_PORT", "2526")),
    )
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)  # also when started in the background (SIG_IGN)
    print("Starting Loket (SecantusDB, RabbitMQ, development mail catcher, appointments, "
          "permits, profile, notifications and its bounce receiver, statistics, development "
          "identity provider, gateway)...")
    system.start()
    operator_env = write_operator_env(system)
    print(f"""
Loket is running on the demo municipality "Musterstadt":
  web front end   {system.url}/
  book            {system.url}/de/appointments/  (English: /en/appointments/)
  sign in         {system.url}/de/sign-in  (residents; staff: {system.url}/de/staff/)
  apply           {system.url}/de/permits/
  my data         {system.url}/de/me/  (profile, consents, access log, export, erasure)
  statistics      {system.url}/de/statistics  (public: digital share per process and month)
  open data       {system.url}/open-data/musterstadt/  (releases: CSV, JSON,
                  datapackage.json, DCAT-AP.de; the hash chain in index.json)
  admin figures   {system.url}/de/admin/statistics  (erika: this month, settings, corrections)
  operator        {system.url}/de/operator/statistics  (olga: every tenant side by side)
  JSON API        {system.url}/api/v1/tenants/musterstadt/offices
  OpenAPI         {system.url}/openapi.json
  health          {system.url}/health
  identity        {system.idp_url}  (development identity provider, never in production)
  mail            {system.mailbox_url}/  (development mailbox: every email and SMS Loket
                  sends, caught on SMTP 127.0.0.1:{system.mail_smtp_port}; nothing leaves
                  this machine; bounce@... addresses bounce, refused@... are refused)
  demo users (choose one on the provider's page; API clients: password grant with
  password "demo", client_id <tenant>-residents or <tenant>-staff,
  client_secret {system.idp_secret}  (development only, this run)):
{demo_users_text()}
  statistics commands, in another shell (`. {operator_env}` first: this run's
  broker, database and RPC key):
    .venv/bin/loket-statistics-publish --tenant musterstadt   (the previous month)
    .venv/bin/loket-statistics-verify                          (every release chain)
    .venv/bin/loket-statistics-rebuild --tenant musterstadt --check  (figures vs. facts)
  logs            {system.group.log_dir}
Press Ctrl-C to stop everything.""", flush=True)
    try:
        while True:
            time.sleep(2)
            # Services and gateway restart on their own, as in compose (restart: unless-stopped).
            for name in system.group.restart_dead(SUPERVISED):
                print(f"{name} exited; restarted it (log: {system.group.log_dir / name}.log)")
            if system.group.dead():
                print(f"{', '.join(system.group.dead())} exited; stopping.")
                break
    except KeyboardInterrupt:
        print("\nStopping...")
    finally:
        system.stop()
        print("Stopped.")


if __name__ == "__main__":
    main()
