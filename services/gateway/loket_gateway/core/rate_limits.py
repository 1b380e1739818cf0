# SPDX-License-Identifier: EUPL-1.2
"""Rate limits per client address (or per person): 429 problem+json, or a page that says how long.

Flask-Limiter's application-factory pattern: views are decorated at import time with
:func:`limit_address` or :func:`limit_person`, and :func:`init_rate_limits` binds the one
:data:`limiter` to the app. The address is ``request.remote_addr``; behind a proxy the app
must trust exactly as many proxies as there are (werkzeug ``ProxyFix``), or every client
shares the proxy's address. Every key reaches the store as a keyed pseudonym
(:mod:`.rate_limit_keys`), never as an address.

Moving windows, every limit checked: ``Retry-After`` is when the last exhausted limit frees
a request, so waiting that long is enough. (limits' fixed window resets its MongoDB counter
with ``$$NOW``, which SecantusDB compares wrongly: a count outlived its window until the TTL
monitor deleted it, up to a minute after the ``Retry-After`` it told.)

The limits (``RATE_LIMIT_*``) and where counts live (``RATE_LIMIT_STORAGE_URI``) are
declared in :mod:`.settings` and read at import. ``memory://`` counts per process: with
N gunicorn workers a client gets up to N times the limit. ``make run`` and compose share
the counts in MongoDB (``mongodb://...``; database :data:`MONGO_DATABASE`, ``limits``
uses pymongo).
"""
from __future__ import annotations

import math
import time
from collections.abc import Callable

from flask import Flask, Response
from flask_limiter import Limiter, RateLimitExceeded, RouteLimit

from .error_pages import is_machine_request, render_error_page
from .openapi import RATE_LIMITED
from .problems import problem_response
from .rate_limit_keys import address_key, init_keys, pseudonym
from .settings import Settings

_SETTINGS = Settings()  # views are decorated with their limits at import
SEARCH_LIMIT = _SETTINGS.search_limit
HOLD_LIMIT = _SETTINGS.hold_limit
BOOKING_PERSON_LIMIT = _SETTINGS.booking_person_limit
BOOKING_ADDRESS_LIMIT = _SETTINGS.booking_address_limit
BOOKING_NETWORK_LIMIT = _SETTINGS.booking_network_limit
CHALLENGE_LIMIT = _SETTINGS.challenge_limit
APPLICATION_LIMIT = _SETTINGS.application_limit
UPLOAD_LIMIT = _SETTINGS.upload_limit
STORAGE_URI = _SETTINGS.rate_limit_storage_uri
MONGO_DATABASE = "loket_gateway_limits"

limiter = Limiter(
    address_key,
    strategy="moving-window",
    # Check (and count) every limit of a request, so Retry-After can name the longest wait.
    fail_on_first_breach=False,
    # No X-RateLimit-* headers on every answer: with shared storage they cost two more
    # database reads per request. A 429 carries Retry-After (set below).
    headers_enabled=False,
    # Storage down: count in memory rather than fail every request or stop limiting.
    in_memory_fallback_enabled=True,
    key_prefix="loket",
)


def init_rate_limits(app: Flask, storage_uri: str = STORAGE_URI,
                     secret: str | None = None) -> Limiter:
    """Bind :data:`limiter` to ``app`` with counts in ``storage_uri``; its 429s.

    The keys are pseudonyms under a key derived from ``secret`` (default: the app's
    ``LOKET_GATEWAY_SECRET``).
    """
    init_keys(app, secret if secret is not None else app.extensions["loket_settings"].secret)
    app.config["RATELIMIT_STORAGE_URI"] = storage_uri
    if storage_uri.startswith("mongodb"):
        app.config["RATELIMIT_STORAGE_OPTIONS"] = {"database_name": MONGO_DATABASE}
    limiter.init_app(app)
    app.register_error_handler(RateLimitExceeded, _rate_limited)
    return limiter


# Optional conditions of a limit (Flask-Limiter's): ``deduct_when(response)`` counts only the
# answers it accepts (e.g. confirmed bookings), ``exempt_when()`` skips the limit.
Deduct = Callable[[Response], bool] | None
Exempt = Callable[[], bool] | None


def limit_address(limit: str, scope: str | None = None, *, deduct_when: Deduct = None,
                  exempt_when: Exempt = None) -> Callable[[Callable], Callable]:
    """Decorator for a view: at most ``limit`` requests per client address.

    Views given the same ``scope`` share one count (e.g. every kind of search).
    """
    if scope:
        return _documented(limiter.shared_limit(limit, scope, deduct_when=deduct_when,
                                                exempt_when=exempt_when))
    return _documented(limiter.limit(limit, deduct_when=deduct_when, exempt_when=exempt_when))


def limit_person(key_func: Callable[[], str], limit: str = HOLD_LIMIT,
                 scope: str | None = None, *, deduct_when: Deduct = None,
                 exempt_when: Exempt = None) -> Callable[[Callable], Callable]:
    """Decorator for a view: at most ``limit`` requests per person, named by ``key_func``.

    ``key_func`` returns a stable name of the person (e.g. a pseudonym of the email
    address); the store keeps only its keyed pseudonym. Views given the same ``scope``
    share one count. Stacks with :func:`limit_address`. (Also for other keyed groups,
    e.g. a client's network: ``key_func`` names the group.)
    """
    # The prefix keeps a person's counter apart from an address's.
    def key() -> str:
        return "person:" + pseudonym(key_func())
    if scope:
        return _documented(limiter.shared_limit(limit, scope, key_func=key,
                                                deduct_when=deduct_when, exempt_when=exempt_when))
    return _documented(limiter.limit(limit, key_func=key, deduct_when=deduct_when,
                                     exempt_when=exempt_when))


def _documented(limit: RouteLimit) -> Callable[[Callable], Callable]:
    """``limit``, marking the view so its API document lists 429 (:mod:`.openapi`)."""
    def decorate(view: Callable) -> Callable:
        limited = limit(view)
        setattr(limited, RATE_LIMITED, True)
        return limited
    return decorate


def retry_after_seconds(error: RateLimitExceeded) -> int:
    """Whole seconds until every exhausted limit of the request allows one more (at least 1)."""
    resets = [limit.window.reset_time for limit in limiter.current_limits
              if limit.breached or limit.window.remaining <= 0]
    if not resets:  # not known (e.g. a meta limit): the whole window
        return max(1, error.limit.limit.get_expiry())
    return max(1, math.ceil(max(resets) - time.time()))


def rate_limited_response(seconds: int) -> Response:
    """The 429 problem+json with ``Retry-After``."""
    response = problem_response(
        429, "rate_limited", "Too many requests",
        f"You sent too many requests in a short time. Please try again in {seconds} seconds.",
        retry_after=seconds)
    response.headers["Retry-After"] = str(seconds)
    return response


def _rate_limited(error: RateLimitExceeded) -> Response | tuple[str, int, dict[str, str]]:
    """problem+json for the API; for pages, a page in their language that says how long."""
    seconds = retry_after_seconds(error)
    if is_machine_request():
        return rate_limited_response(seconds)
    return render_error_page(429, {"Retry-After": str(seconds)}, retry_after=seconds)

