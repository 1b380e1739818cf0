# SPDX-License-Identifier: EUPL-1.2
"""gunicorn settings for the gateway (gthread workers; RPC proxies are made after fork).

Read from the gateway's settings (``loket_gateway.core.settings``), so a bad value stops the
master before any worker starts, with a message naming the variable.
"""
from loket_gateway.core.settings import Settings

settings = Settings()
bind = settings.bind
workers = settings.workers
worker_class = "gthread"
threads = settings.threads
timeout = 30
graceful_timeout = 10
accesslog = settings.access_log or None
wsgi_app = "loket_gateway.wsgi:app"
