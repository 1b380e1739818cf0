# SPDX-License-Identifier: EUPL-1.2
"""``loket-service``: the ``nameko`` command, without eventlet's deprecation notice.

Every service is started through this thin wrapper (``loket-service run ...``);
importing ``loket_common`` first installs the warning filter.
"""
from __future__ import annotations

import loket_common  # noqa: F401 (installs the warning filter before nameko imports eventlet)


def main() -> None:
    """Run the ``nameko`` command line with the same arguments."""
    from nameko.cli.main import main as nameko_main

    nameko_main()
