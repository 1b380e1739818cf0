# SPDX-License-Identifier: EUPL-1.2
"""Shared building blocks of the Loket services (installed, never copied).

Importing the package hides eventlet's import-time deprecation notice (Nameko
2.14 runs on eventlet; the notice says nothing an operator can act on), so the
command-line tools stay quiet; ``loket-service`` does the same for ``nameko``.
"""
import warnings

EVENTLET_NOTICE = r"\s*Eventlet is deprecated"

warnings.filterwarnings("ignore", message=EVENTLET_NOTICE)
