# SPDX-License-Identifier: EUPL-1.2
"""``loket-statistics-publish``: publish (or correct) a month through the running service.

``[--tenant T ...] [--month YYYY-MM] [--correct --reason TEXT]``: the month defaults to
the previous one (Europe/Berlin), the tenants to every tenant the service keeps figures
for. It is an RPC client of the statistics service (``AMQP_URI``, ``LOKET_RPC_KEYS``), so
the release is made exactly as the timer makes it. Exits 1 when a tenant failed.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from nameko.exceptions import RemoteError

from loket_common.errors import parse_remote_message
from loket_common.sealed_rpc import ClusterRpcProxy
from loket_common.settings import BrokerSettings, RpcSettings
from loket_contracts.statistics.measures import month_of

from .command_line import parser_with_tenants, say
from .due_months import previous_month

# Who asks, as the service's actor (it keeps nothing of it).
CLI_ACTOR = {"subject": "cli:loket-statistics-publish", "role": "operator"}
RPC_TIMEOUT_SECONDS = 120


class PublishCliSettings(BrokerSettings, RpcSettings):
    """What the command reads: the broker and the RPC keys."""


def publish(statistics: Any, tenants: list[str], month: str, reason: str | None,
            out: Callable[[str], None] = say) -> bool:
    """Publish (with ``reason``: correct) ``month`` of each tenant; True when all went well."""
    done, failed = [], []
    for tenant in tenants:
        out(f"{tenant} {month}: {'correcting' if reason else 'publishing'} ...")
        try:
            if reason:
                release = statistics.publish_correction(tenant, {"month": month,
                                                                 "reason": reason}, CLI_ACTOR)
            else:
                release = statistics.publish_month(tenant, month)
        except RemoteError as error:
            problem = parse_remote_message(error.value)
            out(f"{tenant} {month}: failed: {problem.get('code', error.exc_type)}: "
                f"{problem.get('detail', '')}")
            failed.append(tenant)
            continue
        out(f"{tenant} {month}: release {release['number']} published "
            f"{release['published_at']}, release_hash {release['release_hash']}")
        for change in release["changes"]:
            out(f"{tenant} {month}:   changed {change}")
        done.append(f"{tenant} #{release['number']} {release['release_hash'][:16]}")
    out(f"done: {len(done)} released ({', '.join(done) or 'none'}), {len(failed)} failed"
        + (f" ({', '.join(failed)})" if failed else ""))
    return not failed


def main(argv: list[str] | None = None) -> None:
    """Command line entry."""
    parser = parser_with_tenants("loket-statistics-publish", __doc__)
    parser.add_argument("--month", help="YYYY-MM (default: the previous month)")
    parser.add_argument("--correct", action="store_true",
                        help="publish a correction of an already published month")
    parser.add_argument("--reason", help="why the correction is made (with --correct)")
    args = parser.parse_args(argv)
    if args.correct != bool(args.reason):
        parser.error("--correct and --reason go together")
    month = args.month or previous_month(month_of(datetime.now(UTC).isoformat()))
    settings = PublishCliSettings()
    config = {"AMQP_URI": settings.amqp_uri, **settings.rpc_config()}
    with ClusterRpcProxy(config, timeout=RPC_TIMEOUT_SECONDS) as cluster:
        tenants = args.tenant or [figures["tenant"] for figures in
                                  cluster.statistics.all_tenants_figures(month)]
        ok = publish(cluster.statistics, tenants, month, args.reason)
    raise SystemExit(0 if ok else 1)
