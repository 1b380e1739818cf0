# SPDX-License-Identifier: EUPL-1.2
"""The WSGI entry for gunicorn: ``gunicorn -c gunicorn.conf.py``."""
import warnings

# Eventlet (imported by nameko) warns that it is deprecated; that one warning only.
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

from .app import create_app  # noqa: E402

app = create_app()
