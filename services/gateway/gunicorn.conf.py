# SPDX-License-Identifier: EUPL-1.2
"""gunicorn settings for the gateway (gthread workers; RPC proxies are made after fork)."""
import os

bind = os.environ.get("GATEWAY_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GATEWAY_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GATEWAY_THREADS", "8"))
timeout = 30
graceful_timeout = 10
accesslog = os.environ.get("GATEWAY_ACCESS_LOG") or None
wsgi_app = "loket_gateway.wsgi:app"
