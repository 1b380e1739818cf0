# SPDX-License-Identifier: EUPL-1.2
"""``make test``: every test against real RabbitMQ and a real (SecantusDB) database.

Two pytest runs, because Nameko's tests need eventlet's monkeypatch and the
browser tests must not have it:
1. unit and integration tests of the library and each service
   (``-p loket_common.testing``: fresh vhost per test, own database per test);
2. end-to-end tests in ``tests/``: the system started as ``make run`` starts it,
   driven over HTTP and in headless Chromium.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys

from loket_common.settings import DEFAULT_AMQP_URI

from .infra import ensure_management_api, ensure_rabbitmq, free_port, start_secantusdb
from .processes import ProcessGroup
from .system import ROOT

SERVICE_TESTS = ["libs/common/tests", "libs/contracts/tests", "services/appointments/tests",
                 "services/permits/tests", "services/profile/tests",
                 "services/notifications/tests", "services/statistics/tests",
                 "services/gateway/tests"]


def main() -> int:
    """Run the suites; exit non-zero if any test failed."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=["unit", "integration", "e2e"])
    parser.add_argument("pytest_args", nargs="*")
    args = parser.parse_args()
    amqp_uri = os.environ.get("AMQP_URI", DEFAULT_AMQP_URI)
    management = os.environ.get("RABBIT_CTL_URI", "http://guest:guest@127.0.0.1:15672")
    var_dir = ROOT / "var" / f"test-{os.getpid()}"
    group = ProcessGroup(var_dir / "log")
    python = [sys.executable, "-m", "pytest", *args.pytest_args]
    results = []
    try:
        ensure_rabbitmq(group, amqp_uri, var_dir)
        ensure_management_api(amqp_uri, "http://127.0.0.1:15672")
        if args.only != "e2e":
            mongo_uri = start_secantusdb(group, var_dir / "secantusdb", free_port())
            marker = {"unit": ["-m", "not integration"],
                      "integration": ["-m", "integration"]}.get(args.only or "", [])
            results.append(subprocess.run(
                [*python, "-p", "loket_common.testing", f"--amqp-uri={amqp_uri}",
                 f"--rabbit-ctl-uri={management}", *marker, *SERVICE_TESTS],
                cwd=ROOT, env={**os.environ, "LOKET_TEST_MONGO_URI": mongo_uri}).returncode)
        if args.only in (None, "e2e"):
            results.append(subprocess.run([*python, "tests"], cwd=ROOT,
                                          env={**os.environ, "AMQP_URI": amqp_uri}).returncode)
    finally:
        group.stop()
        subprocess.run(["rm", "-rf", str(var_dir)], check=False)
    failed = [code for code in results if code != 0]
    print(f"make test: {len(results) - len(failed)} of {len(results)} suites passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
