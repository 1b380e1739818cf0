# SPDX-License-Identifier: EUPL-1.2
"""``loket-notifications-bounces``: the SMTP endpoint the relays send their bounces to.

An aiosmtpd server on ``NOTIFICATIONS_BOUNCE_BIND``. Each message is read as a delivery
status notification (:mod:`.dsn`); each recipient's report goes to
``notifications.record_delivery_report(tenant, report)`` by sealed, transient RPC. A
message that is no report of ours is accepted and logged by a code (never its content),
so the relay does not retry it; while the service does not answer, the receiver says
``451`` and the relay tries again later. JSON logs on stderr; SIGTERM stops it.
"""
from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, Literal

from aiosmtpd.controller import Controller
from nameko.exceptions import RemoteError

from loket_common.logs import configure, get_logger
from loket_common.sealed_rpc import ClusterRpcProxy
from loket_common.settings import BrokerSettings, CommaList, RpcSettings, variable

from .dsn import DeliveryReport, NotAReport, parse_dsn

log = get_logger(__name__)

ACCEPTED = "250 2.0.0 OK"
TRY_LATER = "451 4.3.0 Delivery reports cannot be recorded now, try again later"
NO_SUCH_ADDRESS = "550 5.1.1 Not a bounce address"
# The service's answers that a retry would not change (loket_common.errors): the report is
# accepted and logged. Any other error (its database down, say) gets 451.
IGNORED_REMOTE_ERRORS = ("NotFound", "ValidationFailed", "UnknownTenant", "Conflict")


class BounceSettings(RpcSettings, BrokerSettings):
    """What the bounce receiver reads from the environment."""

    bind: str = variable(
        "NOTIFICATIONS_BOUNCE_BIND", "127.0.0.1:2526", "host:port the bounce receiver "
        "(`loket-notifications-bounces`) listens on for the relays' delivery reports",
        form="host:port", pattern=r"^(\[[0-9A-Fa-f:.]+\]|[^\s:\[\]]+):\d{1,5}$")
    addresses: CommaList = variable(
        "NOTIFICATIONS_BOUNCE_ADDRESSES", (), "the bounce addresses it accepts mail for, "
        "separated by commas (empty: any address)")
    rpc_timeout: float = variable(
        "NOTIFICATIONS_BOUNCE_RPC_TIMEOUT", 10.0, "seconds the bounce receiver waits for the "
        "notifications service before it answers 451 (the relay retries)", gt=0)
    max_bytes: int = variable(
        "NOTIFICATIONS_BOUNCE_MAX_BYTES", 10_000_000, "largest bounce accepted (bytes)", ge=1)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = variable(
        "LOG_LEVEL", "INFO", "log level (JSON lines on stderr)")

    def host_port(self) -> tuple[str, int]:
        """``bind`` as ``(host, port)``."""
        host, _, port = self.bind.rpartition(":")
        return host.strip("[]"), int(port)  # [::1]:2526 is IPv6


class ReportRecorder:
    """Hands reports to the notifications service, from one thread with one proxy."""

    def __init__(self, config: dict[str, Any], timeout: float) -> None:
        self.config = config
        self.timeout = timeout
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bounce-rpc")
        self._proxy: ClusterRpcProxy | None = None
        self._cluster: Any = None

    def record(self, report: DeliveryReport) -> None:
        """Call ``record_delivery_report``; raises if the service did not take it."""
        try:
            if self._proxy is None:
                self._proxy = ClusterRpcProxy(self.config, timeout=self.timeout)
                self._cluster = self._proxy.start()
            self._cluster.notifications.record_delivery_report(report.tenant, report.as_rpc())
        except RemoteError:
            raise  # the service answered: the proxy is fine
        except Exception:
            self._drop()  # a timeout's late reply or a dead connection: a new proxy next time
            raise

    def _drop(self) -> None:
        proxy, self._proxy, self._cluster = self._proxy, None, None
        if proxy is not None:
            try:
                proxy.stop()
            except Exception as error:  # it is dropped anyway
                log.debug("closing an RPC proxy failed", error_type=type(error).__name__)

    def close(self) -> None:
        """Stop the proxy and the thread."""
        self.executor.submit(self._drop).result()
        self.executor.shutdown()


class BounceHandler:
    """aiosmtpd's handler: accepts bounces, records their reports, or asks for a retry."""

    def __init__(self, record: Callable[[DeliveryReport], None],
                 run: Callable[[Callable[[], None]], Any], addresses: Sequence[str] = ()):
        self.record = record
        self.run = run  # runs a blocking call off the event loop, awaitably
        self.addresses = {address.lower() for address in addresses}

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if self.addresses and address.lower() not in self.addresses:
            return NO_SUCH_ADDRESS
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        try:
            reports = parse_dsn(envelope.original_content or envelope.content)
        except NotAReport as error:
            log.info("bounce ignored", reason=error.code)
            return ACCEPTED
        except Exception as error:  # a malformed message the parser could not take
            log.info("bounce ignored", reason="unparsable", error_type=type(error).__name__)
            return ACCEPTED
        for report in reports:
            try:
                await self.run(partial(self.record, report))
            except RemoteError as error:
                if error.exc_type not in IGNORED_REMOTE_ERRORS:
                    log.warning("delivery report not recorded", error_type=error.exc_type,
                                message_id=report.message_id)
                    return TRY_LATER
                log.info("delivery report refused", error_type=error.exc_type,
                         message_id=report.message_id)
            except Exception as error:
                log.warning("delivery report not recorded; the relay will retry",
                            error_type=type(error).__name__, message_id=report.message_id)
                return TRY_LATER
            log.info("delivery report recorded", message_id=report.message_id,
                     tenant=report.tenant, action=report.action, status=report.status)
        return ACCEPTED


def make_controller(settings: BounceSettings, recorder: ReportRecorder) -> Controller:
    """The SMTP server of ``settings``, recording through ``recorder`` (not started)."""
    def run(call: Callable[[], None]) -> Any:
        return asyncio.get_running_loop().run_in_executor(recorder.executor, call)

    host, port = settings.host_port()
    handler = BounceHandler(recorder.record, run, settings.addresses)
    return Controller(handler, hostname=host, port=port, ident="Loket bounce receiver",
                      data_size_limit=settings.max_bytes)


def main() -> None:
    """Run the bounce receiver until SIGTERM or SIGINT."""
    settings = BounceSettings()
    configure(settings.log_level)
    config = {"AMQP_URI": settings.amqp_uri, **settings.rpc_config()}
    recorder = ReportRecorder(config, settings.rpc_timeout)
    controller = make_controller(settings, recorder)
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    controller.start()
    log.info("bounce receiver listening", bind=settings.bind)
    stopping.wait()
    controller.stop()
    recorder.close()
    log.info("bounce receiver stopped")


if __name__ == "__main__":
    main()
