# SPDX-License-Identifier: EUPL-1.2
"""Benchmarks of Loket (``make bench``); results in docs/performance.md."""

import loket_common  # noqa: F401 (hides eventlet's import notice before nameko loads)
