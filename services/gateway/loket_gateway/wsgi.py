# SPDX-License-Identifier: EUPL-1.2
"""The WSGI entry for gunicorn: ``gunicorn -c gunicorn.conf.py``."""
import sys
import warnings

# Eventlet (imported by nameko) warns that it is deprecated; that one warning only.
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

# gunicorn's exit code for "worker failed to boot": the master stops instead of starting
# the worker again and again (a plain SystemExit would loop).
WORKER_BOOT_ERROR = 3

try:
    from .app import create_app

    app = create_app()
except SystemExit as stop:  # a bad or missing setting: its message, no traceback
    if not isinstance(stop.code, str):
        raise
    print(stop.code, file=sys.stderr, flush=True)
    raise SystemExit(WORKER_BOOT_ERROR) from None
