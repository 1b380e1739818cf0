# SPDX-License-Identifier: EUPL-1.2
"""A per-process pool of standalone Nameko RPC proxies.

Standalone proxies are not thread-safe, so each request borrows one. The pool
is filled lazily, i.e. after gunicorn forked its workers. A proxy that failed
on the transport is closed and replaced, so the gateway reconnects on its own
after a broker restart. Requests are transient and sealed with ``LOKET_RPC_KEYS``
(:mod:`loket_common.sealed_rpc`, :mod:`loket_common.rpc_sealing`).
"""
from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from flask import current_app
from nameko.exceptions import RemoteError, RpcTimeout

from loket_common.sealed_rpc import ClusterRpcProxy

from .request_ids import stamp_request_id

log = logging.getLogger(__name__)


class RpcPool:
    """Lend out started :class:`ClusterRpcProxy` objects, at most ``size`` at once."""

    def __init__(self, amqp_uri: str, sealing: dict[str, Any], size: int,
                 timeout: float) -> None:
        """``sealing``: the Nameko config entries of sealed RPC (``Settings.rpc_config()``)."""
        self.config = {"AMQP_URI": amqp_uri, **sealing}
        self.timeout = timeout
        self.idle: queue.LifoQueue[Any] = queue.LifoQueue()
        self.slots = threading.BoundedSemaphore(size)

    def _new_proxy(self) -> tuple[ClusterRpcProxy, Any]:
        proxy = ClusterRpcProxy(self.config, timeout=self.timeout)
        return proxy, proxy.start()

    @contextmanager
    def services(self) -> Iterator[Any]:
        """Borrow a cluster proxy: ``with pool.services() as rpc: rpc.permits.list(...)``."""
        if not self.slots.acquire(timeout=self.timeout):
            raise RpcTimeout(self.timeout)
        try:
            try:
                proxy, cluster = self.idle.get_nowait()
            except queue.Empty:
                proxy, cluster = self._new_proxy()
            stamp_request_id(proxy._worker_ctx.data)  # this request's id into every RPC
            try:
                yield cluster
            except RemoteError:
                # The service answered with an error: the proxy is fine.
                self.idle.put((proxy, cluster))
                raise
            except Exception:
                # A timeout's late reply or a broken connection: never lend it again.
                _stop_quietly(proxy)
                raise
            else:
                self.idle.put((proxy, cluster))
        finally:
            self.slots.release()

    def close(self) -> None:
        """Stop every idle proxy."""
        while True:
            try:
                proxy, _ = self.idle.get_nowait()
            except queue.Empty:
                return
            _stop_quietly(proxy)


def _stop_quietly(proxy: ClusterRpcProxy) -> None:
    try:
        proxy.stop()
    except Exception as error:  # a broken connection may fail to close; it is dropped anyway
        log.debug("closing a broken RPC proxy failed: %s", error)


def services() -> AbstractContextManager[Any]:
    """Borrow a proxy from the current app's pool, for one request's RPC calls."""
    return current_app.extensions["loket_rpc"].services()
