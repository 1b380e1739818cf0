# SPDX-License-Identifier: EUPL-1.2
"""gunicorn settings for the gateway: ``ProblemWorker`` (gthread), RPC proxies made after fork.

Read from the gateway's settings (``loket_gateway.core.settings``), so a bad value stops the
master before any worker starts, with a message naming the variable.
"""
from loket_common.logs import logging_config
from loket_gateway.core.settings import Settings

settings = Settings()
bind = settings.bind
workers = settings.workers
# gthread, whose own answers (request line or headers too long, ...) are problem+json
# with the security headers like every other error of the gateway's.
worker_class = "loket_gateway.core.gunicorn_worker.ProblemWorker"
threads = settings.threads
timeout = 30
graceful_timeout = 10
accesslog = settings.access_log or None
# gunicorn's own access line (only if asked for: the app logs a JSON "request" line with
# the request id): the path without its query string, where status tokens travel.
access_log_format = '%(m)s %(U)s %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s'
# Secret query values and headers are redacted in any format (core/access_log.py).
logger_class = "loket_gateway.core.access_log.RedactingLogger"

# Every log line as JSON on stderr, gunicorn's and the app's (loket_common.logs).
_level = settings.log_level.upper()
logconfig_dict = {
    **logging_config(_level),
    "loggers": {
        "gunicorn.error": {"level": _level, "handlers": [], "propagate": True},
        "gunicorn.access": {"level": "INFO" if accesslog else "WARNING", "handlers": [],
                            "propagate": True},
    },
}
wsgi_app = "loket_gateway.wsgi:app"
