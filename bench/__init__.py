# SPDX-License-Identifier: EUPL-1.2
"""Benchmarks of Loket (``make bench``); results in docs/performance.md."""
