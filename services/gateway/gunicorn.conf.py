# SPDX-License-Identifier: EUPL-1.2
"""gunicorn settings for the gateway (gthread workers; RPC proxies are made after fork)."""
import os

from loket_common.logs import logging_config

bind = os.environ.get("GATEWAY_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GATEWAY_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GATEWAY_THREADS", "8"))
timeout = 30
graceful_timeout = 10
accesslog = os.environ.get("GATEWAY_ACCESS_LOG") or None
# gunicorn's own access line (only if asked for: the app logs a JSON "request" line with
# the request id): the path without its query string, where status tokens travel.
access_log_format = '%(m)s %(U)s %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s'

# Every log line as JSON on stderr, gunicorn's and the app's (loket_common.logs).
_level = os.environ.get("LOG_LEVEL", "INFO").upper()
logconfig_dict = {
    **logging_config(_level),
    "loggers": {
        "gunicorn.error": {"level": _level, "handlers": [], "propagate": True},
        "gunicorn.access": {"level": "INFO" if accesslog else "WARNING", "handlers": [],
                            "propagate": True},
    },
}
wsgi_app = "loket_gateway.wsgi:app"
