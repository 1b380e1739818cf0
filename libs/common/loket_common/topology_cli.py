# SPDX-License-Identifier: EUPL-1.2
"""``loket-declare-topology FILE``: declare every exchange and queue of ``deploy/topology.yml``."""
from __future__ import annotations

import argparse
from pathlib import Path

import yaml
from kombu import Connection

from .settings import BrokerSettings
from .topology import Subscription, declare


def load_topology(path: Path) -> tuple[list[str], list[Subscription]]:
    """The event sources and subscriptions listed in ``path``."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    subscriptions = [Subscription(**item) for item in raw.get("subscriptions", [])]
    return list(raw.get("sources", [])), subscriptions


def main() -> None:
    """Declare the topology on ``AMQP_URI`` with ``EVENT_RETRY_DELAYS_MS``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file", type=Path)
    args = parser.parse_args()
    sources, subscriptions = load_topology(args.file)
    settings = BrokerSettings()
    with Connection(settings.amqp_uri) as conn:
        declare(conn, subscriptions, settings.event_retry_delays_ms, sources)
    print(f"declared {len(sources)} exchanges and {len(subscriptions)} subscriptions")


if __name__ == "__main__":
    main()
