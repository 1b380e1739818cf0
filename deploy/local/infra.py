# SPDX-License-Identifier: EUPL-1.2
"""The local infrastructure: SecantusDB (embedded MongoDB-compatible server) and RabbitMQ.

Only this dev runner and the test fixtures know SecantusDB; services just get a
``MONGO_URI`` (with ``retryWrites=false``, see docs/architecture.md).
"""
from __future__ import annotations

import base64
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlparse

from .processes import ProcessGroup


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    """True when something accepts TCP connections at ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_for_port(host: str, port: int, seconds: float, what: str) -> None:
    """Wait until ``host:port`` answers, else fail saying what did not start."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if port_open(host, port):
            return
        time.sleep(0.1)
    raise SystemExit(f"{what} did not answer on {host}:{port} within {seconds:.0f} s")


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_secantusdb(group: ProcessGroup, data_dir: Path, port: int) -> str:
    """Start SecantusDB on ``port`` with data in ``data_dir``; return its MONGO_URI."""
    data_dir.mkdir(parents=True, exist_ok=True)
    server = Path(sys.executable).with_name("secantusd-py")
    group.start("secantusdb", [str(server), "--host", "127.0.0.1", "--port", str(port),
                               "--storage-path", str(data_dir)])
    wait_for_port("127.0.0.1", port, 30, "SecantusDB")
    return f"mongodb://127.0.0.1:{port}/?retryWrites=false"


def ensure_rabbitmq(group: ProcessGroup, amqp_uri: str, var_dir: Path) -> None:
    """Use the RabbitMQ at ``amqp_uri``; if none answers, start a private one or say what to do."""
    url = urlparse(amqp_uri)
    host, port = url.hostname or "127.0.0.1", url.port or 5672
    if port_open(host, port):
        return
    if rabbitmq_server() is None or host not in ("127.0.0.1", "localhost"):
        raise SystemExit(
            f"No RabbitMQ answers at {host}:{port}. Install it (Debian/Ubuntu: "
            "`sudo apt-get install rabbitmq-server`) or set AMQP_URI to a running broker.")
    print(f"No RabbitMQ at {host}:{port}: starting a private one under {var_dir / 'rabbitmq'}")
    management = port + 10000 if port + 10000 < 65536 else free_port()  # 15672 for 5672
    start_rabbitmq(group, port, var_dir / "rabbitmq", management_port=management)


def rabbitmq_server() -> str | None:
    """RabbitMQ's start script, run as the current user.

    Debian's ``/usr/sbin/rabbitmq-server`` switches to the ``rabbitmq`` user when started by
    root, and that user may not write our var directory: the script behind it runs as
    whoever starts it.
    """
    direct = Path("/usr/lib/rabbitmq/bin/rabbitmq-server")
    if direct.exists():
        return str(direct)
    return shutil.which("rabbitmq-server")


def start_rabbitmq(group: ProcessGroup, port: int, base: Path, name: str = "rabbitmq",
                   management_port: int | None = None, settings: Sequence[str] = ()) -> str:
    """Start a private RabbitMQ node on ``port`` with every file under ``base``; its AMQP URI.

    The node has its own config file (the machine's may pin ``listeners.tcp`` to 5672), its
    own environment file (the machine's names its own node), data, logs and Erlang cookie,
    so it runs beside the machine's broker. The management API only with ``management_port``;
    ``settings`` are more lines of its ``rabbitmq.conf``.
    Stopping its process group stops it cleanly (the script turns SIGINT into a shutdown).
    """
    server = rabbitmq_server()
    if server is None:
        raise SystemExit("RabbitMQ is not installed (Debian/Ubuntu: "
                         "`sudo apt-get install rabbitmq-server`)")
    base.mkdir(parents=True, exist_ok=True)
    config = [f"listeners.tcp.local = 127.0.0.1:{port}", *settings]
    plugins = []
    if management_port:
        config += ["management.tcp.ip = 127.0.0.1", f"management.tcp.port = {management_port}"]
        plugins.append("rabbitmq_management")
    (base / "rabbitmq.conf").write_text("\n".join(config) + "\n")
    (base / "rabbitmq-env.conf").write_text("")
    (base / "enabled_plugins").write_text(f"[{','.join(plugins)}].\n")
    env = {
        "HOME": str(base),  # its own Erlang cookie
        "RABBITMQ_NODENAME": f"loket{port}@localhost",
        "RABBITMQ_NODE_PORT": str(port),
        "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
        "RABBITMQ_DIST_PORT": str(free_port()),
        "RABBITMQ_CONFIG_FILE": str(base / "rabbitmq.conf"),
        "RABBITMQ_ADVANCED_CONFIG_FILE": str(base / "advanced.config"),
        "RABBITMQ_CONF_ENV_FILE": str(base / "rabbitmq-env.conf"),
        "RABBITMQ_MNESIA_BASE": str(base / "mnesia"),
        "RABBITMQ_LOG_BASE": str(base / "log"),
        "RABBITMQ_ENABLED_PLUGINS_FILE": str(base / "enabled_plugins"),
    }
    group.start(name, [server], env=env)
    wait_for_port("127.0.0.1", port, 90, "RabbitMQ")
    return f"amqp://guest:guest@127.0.0.1:{port}/"


def rabbitmqctl(base: Path, port: int, *args: str) -> None:
    """Run ``rabbitmqctl ARGS`` against the node :func:`start_rabbitmq` started in ``base``."""
    server = rabbitmq_server()
    if server is None:
        raise SystemExit("RabbitMQ is not installed")
    subprocess.run([str(Path(server).with_name("rabbitmqctl")), "-n", f"loket{port}@localhost",
                    *args], env={**os.environ, "HOME": str(base)}, check=True,
                   stdout=subprocess.DEVNULL)


def ensure_management_api(amqp_uri: str, management_url: str) -> None:
    """The integration tests make a vhost per test through the management API: enable it."""
    try:
        urllib.request.urlopen(management_url + "/api/overview", timeout=2)  # noqa: S310
        return
    except urllib.error.HTTPError:
        return  # 401 without credentials: it answers
    except OSError:
        pass
    plugins = shutil.which("rabbitmq-plugins") or "/usr/sbin/rabbitmq-plugins"
    if not Path(plugins).exists():
        raise SystemExit(f"RabbitMQ's management API does not answer at {management_url}; "
                         "enable it with `rabbitmq-plugins enable rabbitmq_management`.")
    subprocess.run([plugins, "enable", "rabbitmq_management"], check=True,
                   stdout=subprocess.DEVNULL)
    url = urlparse(management_url)
    wait_for_port(url.hostname or "127.0.0.1", url.port or 15672, 60,
                  "RabbitMQ management API")


def _management_request(management_url: str, method: str, path: str,
                        body: bytes | None = None) -> None:
    url = urlparse(management_url)
    request = urllib.request.Request(  # noqa: S310 (loopback management API)
        f"{url.scheme}://{url.hostname}:{url.port or 15672}{path}", method=method,
        data=body, headers={"Content-Type": "application/json"})
    credentials = f"{url.username or 'guest'}:{url.password or 'guest'}".encode()
    request.add_header("Authorization", "Basic " + base64.b64encode(credentials).decode())
    urllib.request.urlopen(request, timeout=10).close()  # noqa: S310


def isolated_vhost(amqp_uri: str, management_url: str, name: str) -> str:
    """Create vhost ``name`` (guest may use it) and return ``amqp_uri`` pointing at it."""
    _management_request(management_url, "PUT", f"/api/vhosts/{name}", b"{}")
    _management_request(management_url, "PUT", f"/api/permissions/{name}/guest",
                        b'{"configure": ".*", "write": ".*", "read": ".*"}')
    url = urlparse(amqp_uri)
    return url._replace(path=f"/{name}").geturl()


def delete_vhost(management_url: str, name: str) -> None:
    """Remove a vhost made by :func:`isolated_vhost`, with its queues."""
    _management_request(management_url, "DELETE", f"/api/vhosts/{name}")
