# SPDX-License-Identifier: EUPL-1.2
"""``make run``: start Loket locally on the embedded default, until Ctrl-C.

Environment: AMQP_URI (default amqp://guest:guest@127.0.0.1:5672/),
LOKET_PORT (gateway, default 8000), LOKET_MONGO_PORT (SecantusDB, default 27017),
LOKET_VAR_DIR (data and logs, default ./var).
"""
from __future__ import annotations

import json
import os
import signal
import time
import urllib.request
from pathlib import Path

from .system import ROOT, SERVICES, System

SUPERVISED = (*SERVICES, "gateway")


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM stops the runner like Ctrl-C does."""
    raise KeyboardInterrupt


def demo_resident_token(system: System) -> str:
    """A profile for the demo resident Erika Mustermann; its sign-in token (until login)."""
    request = urllib.request.Request(  # noqa: S310 (the local gateway)
        system.url + "/api/v1/tenants/musterstadt/profiles", method="POST",
        headers={"Content-Type": "application/json"},
        data=json.dumps({"given_name": "Erika", "family_name": "Mustermann",
                         "email": "erika.mustermann@example.org",
                         "preferred_language": "de"}).encode())
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
        return json.load(response)["token"]


def main() -> None:
    """Start, print where to go, and stop everything on Ctrl-C (or SIGTERM)."""
    system = System(
        var_dir=Path(os.environ.get("LOKET_VAR_DIR", ROOT / "var")),
        gateway_port=int(os.environ.get("LOKET_PORT", "8000")),
        mongo_port=int(os.environ.get("LOKET_MONGO_PORT", "27017")),
    )
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)  # also when started in the background (SIG_IGN)
    print("Starting Loket (SecantusDB, RabbitMQ, appointments, permits, profile, gateway)...")
    system.start()
    resident_token = demo_resident_token(system)
    print(f"""
Loket is running on the demo municipality "Musterstadt":
  web front end   {system.url}/
  book            {system.url}/de/appointments/  (English: /en/appointments/)
  counter staff   {system.url}/de/staff/  (sign in with the staff token below)
  apply           {system.url}/de/permits/  (sign in with the resident token below)
  JSON API        {system.url}/api/v1/tenants/musterstadt/offices
  OpenAPI         {system.url}/openapi.json
  health          {system.url}/health
  staff token     {system.staff_token}  (demo tenant admin and case worker, this run)
  resident token  {resident_token}  (demo resident Erika Mustermann, this run)
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
