# SPDX-License-Identifier: EUPL-1.2
"""A bot takes slots with throwaway emails: what does it cost one address, or one /24?

Starts the system as the end-to-end tests do (own database and vhost; one trusted proxy, so
the bot names its address in ``X-Forwarded-For``). Each run then acts as a bot in a network
of its own: search once, then per slot a challenge, its solution (``solve``, as a Python
client does it), a hold and a confirmation with a new email address, until ``--slots`` are
booked. A 429 whose ``Retry-After`` is at most ``--max-wait`` seconds is waited out, as a
patient bot would; a longer one ends the run ("blocked"). Scenarios: ``address`` (every
request from one address) and ``network`` (a new address of one /24 per booking).

    .venv/bin/python -m bench.slot_grab --runs 3            # both scenarios, 20 slots
    .venv/bin/python -m bench.slot_grab --scenario address --slots 20 --runs 1

Prints one line per run and the ranges; ``--json FILE`` keeps the figures.
"""
from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

import requests

from deploy.local.infra import delete_vhost, free_port, isolated_vhost
from deploy.local.system import System
from loket_common.settings import DEFAULT_AMQP_URI
from loket_gateway.appointments.anti_bot.proof_of_work import solve

from .run import MANAGEMENT

API = "/api/v1/tenants/musterstadt"
SERVICE = "id-card"


@dataclass
class Run:
    """What one bot run achieved and what it cost."""

    scenario: str
    network: str
    booked: int = 0
    requests: int = 0
    seconds: float = 0.0
    solving_seconds: float = 0.0
    waited_seconds: float = 0.0
    largest_difficulty: int = 0
    blocked: dict | None = None  # the refusal that ended the run: status, code, Retry-After
    statuses: dict[str, int] = field(default_factory=dict)


class Bot:
    """One bot run against the gateway at ``url``."""

    def __init__(self, url: str, run: Run, max_wait: float) -> None:
        self.url, self.run, self.max_wait = url, run, max_wait
        self.http = requests.Session()

    def call(self, method: str, path: str, client: str, **kwargs) -> requests.Response:
        """One request from ``client``; a short 429 is waited out and tried again."""
        while True:
            self.run.requests += 1
            answer = self.http.request(method, self.url + API + path, timeout=60,
                                       headers={"X-Forwarded-For": client}, **kwargs)
            key = str(answer.status_code)
            self.run.statuses[key] = self.run.statuses.get(key, 0) + 1
            wait = float(answer.headers.get("Retry-After", "0") or 0)
            if answer.status_code != 429 or wait > self.max_wait:
                return answer
            self.run.waited_seconds += wait
            time.sleep(wait)

    def book(self, slot: dict, client: str) -> requests.Response:
        """Challenge, solve, hold, confirm: the last answer."""
        issued = self.call("POST", "/challenges", client)
        if issued.status_code != 201:
            return issued
        challenge = issued.json()["challenge"]
        self.run.largest_difficulty = max(self.run.largest_difficulty, challenge["maxnumber"])
        started = time.perf_counter()
        proof = solve(challenge)
        self.run.solving_seconds += time.perf_counter() - started
        held = self.call("POST", "/holds", client, json={
            **{key: slot[key] for key in ("service_id", "office_id", "start")},
            "pow_solution": proof})
        if held.status_code != 201:
            return held
        return self.call("POST", f"/holds/{held.json()['hold_id']}/confirmation", client,
                         json={"name": "Max Bot", "email": f"{uuid.uuid4().hex}@example.org",
                               "language": "de"})


def grab(url: str, scenario: str, network: str, slots: int, max_wait: float) -> Run:
    """One run: take ``slots`` slots from ``network`` (``198.51.7.``), or be blocked."""
    run = Run(scenario=scenario, network=network + "0/24")
    bot = Bot(url, run, max_wait)
    started = time.perf_counter()
    found = bot.call("GET", "/slots", network + "1",
                     params={"service_id": SERVICE, "limit": slots * 3}).json()
    free = iter(found)
    host = 1
    while run.booked < slots:
        client = network + str(host)
        answer = bot.book(next(free), client)
        if answer.status_code == 201:
            run.booked += 1
            if scenario == "network":
                host += 1
        elif answer.status_code == 409:  # taken meanwhile: the next one
            continue
        else:
            run.blocked = {"status": answer.status_code,
                           "code": answer.json().get("code"),
                           "retry_after": answer.headers.get("Retry-After")}
            break
    run.seconds = time.perf_counter() - started
    return run


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line (see ``--help``)."""
    parser = argparse.ArgumentParser(prog="python -m bench.slot_grab", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--slots", type=int, default=20, help="slots the bot wants")
    parser.add_argument("--runs", type=int, default=3, help="runs per scenario")
    parser.add_argument("--scenario", choices=("address", "network", "both"), default="both")
    parser.add_argument("--max-wait", type=float, default=120,
                        help="the longest Retry-After the bot waits out (seconds)")
    parser.add_argument("--json", type=Path, help="write every run's figures here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Start the system, run the bot, print the figures."""
    args = parse_args(argv)
    scenarios = ("address", "network") if args.scenario == "both" else (args.scenario,)
    var_dir = Path(tempfile.mkdtemp(prefix="loket-grab-"))
    vhost = f"loket-grab-{uuid.uuid4().hex[:8]}"
    amqp_uri = isolated_vhost(DEFAULT_AMQP_URI, MANAGEMENT, vhost)
    system = System(var_dir=var_dir, gateway_port=free_port(), mongo_port=free_port(),
                    idp_port=free_port(), amqp_uri=amqp_uri,
                    extra_env={"LOKET_TRUSTED_PROXIES": "1"})
    runs: list[Run] = []
    try:
        system.start()
        for number, scenario in enumerate(s for s in scenarios for _ in range(args.runs)):
            run = grab(system.url, scenario, f"198.51.{number + 1}.", args.slots, args.max_wait)
            runs.append(run)
            print(json.dumps(asdict(run)), flush=True)
    finally:
        system.stop()
        delete_vhost(MANAGEMENT, vhost)
        shutil.rmtree(var_dir, ignore_errors=True)
    for scenario in scenarios:
        mine = [run for run in runs if run.scenario == scenario]
        print(f"{scenario}: booked {_range([run.booked for run in mine])} of {args.slots} in "
              f"{_range([round(run.seconds, 1) for run in mine])} s with "
              f"{_range([run.requests for run in mine])} requests (solving "
              f"{_range([round(run.solving_seconds, 1) for run in mine])} s, waiting "
              f"{_range([round(run.waited_seconds, 1) for run in mine])} s); blocked: "
              f"{[run.blocked for run in mine]}")
    if args.json:
        args.json.write_text(json.dumps([asdict(run) for run in runs], indent=2))


def _range(values: list) -> str:
    return f"{min(values)}–{max(values)}" if min(values) != max(values) else str(values[0])


if __name__ == "__main__":
    main()
