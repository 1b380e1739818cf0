# SPDX-License-Identifier: EUPL-1.2
"""Structured logs for every Loket process: one JSON object per line on stderr.

Everything logs through the standard library (Nameko, kombu, gunicorn and our own
``structlog`` loggers alike); one :class:`structlog.stdlib.ProcessorFormatter`
renders each record as JSON with the context bound for the current request or
worker (``request_id``, ``service``, ``entrypoint``, ``event_id``, ...).

Logs hold no personal data: log ids, codes and counts, never names, emails,
addresses, tokens or an error's message that may echo input (a remote error is
logged by its type only, see :func:`render_exception`). As a safety net,
:func:`redact_secrets` blanks every field named like a secret and every secret a URL
carries in its query (manage and status links, sign-in codes) in every record, whoever
logged it; gunicorn's access line goes through :func:`redact_text` too.

- a Nameko service: its settings put :func:`logging_config` into the Nameko config's
  ``LOGGING`` (``ServiceSettings.nameko_config``);
- any other process (the gateway under gunicorn, tools, tests): :func:`configure`.
"""
from __future__ import annotations

import logging
import logging.config
import re
import sys
import traceback
from types import TracebackType
from typing import Any

import structlog
from structlog.typing import EventDict, Processor

# Errors whose message repeats what a caller sent (a remote error carries the
# service's message, which may quote input): logged by type only.
MESSAGE_FREE_ERRORS = ("RemoteError",)
MAX_CHAINED = 5

REDACTED = "[redacted]"
# Fields whose value opens something, whatever logs them (the names are compared lower-cased).
SECRET_FIELDS = frozenset({
    "token", "manage_token", "status_token", "pow_token", "access_token", "id_token",
    "refresh_token", "authorization", "cookie", "set-cookie", "password", "client_secret",
    "secret", "x-manage-token", "x-status-token"})
# A secret in a URL's query: ``?token=...`` (manage and status links), ``code``/``state``
# (the sign-in callback), access tokens; the name stays, the value goes.
SECRET_QUERY = re.compile(
    r"(?i)((?:^|[?&;])(?:token|code|state|access_token|id_token|pow_token|client_secret)=)"
    r"[^&;#\s\"']*")


def redact_text(text: str) -> str:
    """``text`` with the value of every secret query parameter in it replaced."""
    return SECRET_QUERY.sub(r"\1" + REDACTED, text)


def _redacted(value: Any) -> Any:
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {key: REDACTED if str(key).lower() in SECRET_FIELDS else _redacted(item)
                for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_redacted(item) for item in value]
    return value


def redact_secrets(_: Any, __: str, event_dict: EventDict) -> EventDict:
    """Blank secret-named fields and secret query values in a record (the last safety net)."""
    return _redacted(event_dict)


def _shared() -> list[Processor]:
    """What every record gets, from structlog or from a plain stdlib logger."""
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]


def _configure_structlog() -> None:
    """Make structlog loggers hand their event dicts to stdlib logging."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_shared(),
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def get_logger(name: str) -> Any:
    """A structlog logger named ``name`` (usually ``__name__``)."""
    return structlog.stdlib.get_logger(name)


def _exc_info(value: Any) -> tuple[type[BaseException], BaseException,
                                    TracebackType | None] | None:
    if value is True:
        value = sys.exc_info()
    elif isinstance(value, BaseException):
        value = (type(value), value, value.__traceback__)
    if not isinstance(value, tuple) or value[0] is None:
        return None
    return value


def _describe(error: BaseException) -> str:
    kind = type(error)
    name = kind.__qualname__ if kind.__module__ == "builtins" else (
        f"{kind.__module__}.{kind.__qualname__}")
    if kind.__name__ in MESSAGE_FREE_ERRORS:
        remote = getattr(error, "exc_type", None)
        return f"{name}: {remote}" if remote else name
    return f"{name}: {error}"


def render_exception(_: Any, __: str, event_dict: EventDict) -> EventDict:
    """``exc_info`` becomes ``error_type`` and a traceback without locals.

    Remote errors show their type, not their message (it may echo input).
    """
    info = _exc_info(event_dict.pop("exc_info", None))
    if info is None:
        return event_dict
    error: BaseException | None = info[1]
    event_dict["error_type"] = getattr(error, "exc_type", None) or info[0].__name__
    parts: list[str] = []
    for _depth in range(MAX_CHAINED):
        if error is None:
            break
        parts.insert(0, "".join(traceback.format_tb(error.__traceback__)) + _describe(error))
        error = error.__cause__ or error.__context__
    event_dict["exception"] = "\n-- caused --\n".join(parts)
    return event_dict


def json_formatter() -> logging.Formatter:
    """The formatter of every handler: JSON, with the bound context (a dictConfig factory)."""
    _configure_structlog()
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_shared(),
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            render_exception,
            structlog.processors.UnicodeDecoder(),
            redact_secrets,
            structlog.processors.JSONRenderer(default=str),
        ],
    )


def logging_config(level: str = "INFO") -> dict[str, Any]:
    """A ``logging.config.dictConfig`` dict: every logger through one JSON handler on stderr."""
    return {
        "version": 1,
        # Nameko and kombu make their loggers at import, before this runs: keep them.
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "loket_common.logs.json_formatter"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json",
                                 "stream": "ext://sys.stderr"}},
        "root": {"level": level.upper(), "handlers": ["console"]},
    }


def configure(level: str = "INFO") -> None:
    """Route all of this process's logging through structlog to JSON on stderr."""
    logging.config.dictConfig(logging_config(level))


_configure_structlog()
