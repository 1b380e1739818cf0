# SPDX-License-Identifier: EUPL-1.2
"""pytest plugin for service tests (``-p loket_common.testing``): real RabbitMQ, real database.

Applies eventlet's monkeypatch (Nameko needs it), starts one SecantusDB for the
session unless ``LOKET_TEST_MONGO_URI`` names a server, gives each test its own
database, and combines Nameko's fresh-vhost ``rabbit_config`` into a service config.
"""
from __future__ import annotations

import eventlet

eventlet.monkey_patch()

import os  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from nameko.testing.services import entrypoint_waiter  # noqa: E402

from .crypto import new_key  # noqa: E402
from .mongo import connect  # noqa: E402
from .rpc_sealing import RPC_KEYS_VARIABLE, install  # noqa: E402
from .sealing import (  # noqa: E402
    NOTIFICATIONS_PRIVATE_KEY_VARIABLE,
    NOTIFICATIONS_PUBLIC_KEY_VARIABLE,
    new_keypair,
)

# Test keys for personal data at rest: a derived key per tenant, the index key per run;
# the key sealing RPC, per run.
os.environ.setdefault("LOKET_DATA_KEYS", "*=" + new_key())
os.environ.setdefault("LOKET_INDEX_KEY", new_key())
# The notifications service's key pair, so tests can open what was sealed to it.
if NOTIFICATIONS_PUBLIC_KEY_VARIABLE not in os.environ:
    os.environ[NOTIFICATIONS_PUBLIC_KEY_VARIABLE], os.environ[
        NOTIFICATIONS_PRIVATE_KEY_VARIABLE] = new_keypair()
os.environ.setdefault(RPC_KEYS_VARIABLE, new_key())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def mongo_uri():
    """A MongoDB-compatible server for the whole session."""
    if os.environ.get("LOKET_TEST_MONGO_URI"):
        yield os.environ["LOKET_TEST_MONGO_URI"]
        return
    port = _free_port()
    data_dir = tempfile.mkdtemp(prefix="loket-secantusdb-")
    server = Path(sys.executable).with_name("secantusd-py")
    process = subprocess.Popen(  # noqa: S603 (our own venv's server binary)
        [str(server), "--host", "127.0.0.1", "--port", str(port), "--storage-path", data_dir],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        raise RuntimeError("SecantusDB did not start")
    yield f"mongodb://127.0.0.1:{port}/?retryWrites=false"
    process.terminate()
    process.wait(10)
    shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture
def database_name(mongo_uri):
    """A database of this test's own, dropped afterwards."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    yield name
    client = connect(mongo_uri)
    client.drop_database(name)
    client.close()


@pytest.fixture
def database(mongo_uri, database_name):
    """The test's own database, for direct reads and writes."""
    client = connect(mongo_uri)
    yield client[database_name]
    client.close()


@pytest.fixture
def service_config(rabbit_config, mongo_uri, database_name):
    """Config for a service container: fresh vhost, own database, fast retries, sealed RPC.

    A standalone proxy made with it seals its requests as the gateway does.
    """
    return {
        **rabbit_config,
        **install(os.environ[RPC_KEYS_VARIABLE].split(",")),
        "MONGO_URI": mongo_uri,
        "MONGO_DATABASE": database_name,
        "OUTBOX_POLL_SECONDS": 0.05,
        "EVENT_RETRY_DELAYS_MS": "50,100",
    }


def wait_for(predicate, timeout: float = 10.0, interval: float = 0.05):
    """Poll ``predicate`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        eventlet.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")


@contextmanager
def runs_of(container, method_name: str, count: int, timeout: float = 10.0):
    """Wait, on leaving the block, until entrypoint ``method_name`` has run ``count`` times.

    Counts runs that ended without raising: a run that raised (e.g. a write conflict of two
    deliveries handled at once) is retried by :class:`ReliableEventHandler` and counts when
    its retry ends well. So a "handled once" test knows that every delivery really ran.
    Yields the ``exc_info`` of every finished run (None for those that did not raise).
    """
    runs: list = []

    def counted(worker_ctx, result, exc_info) -> bool:
        runs.append(exc_info)
        return runs.count(None) >= count

    with entrypoint_waiter(container, method_name, timeout=timeout, callback=counted):
        yield runs


def database_text(database) -> str:
    """Every document of every collection, as one text to search for plaintext."""
    return "\n".join(str(document) for name in database.list_collection_names()
                     for document in database[name].find())


def outbox_data(database, event_type: str) -> list[dict]:
    """The ``data`` of every outbox entry of ``event_type`` (sent or not)."""
    return [entry["message"]["data"] for entry in
            database["outbox"].find({"message.type": event_type})]


class Clock:
    """A settable clock for code that takes ``now`` as a callable: tests need not wait."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now
