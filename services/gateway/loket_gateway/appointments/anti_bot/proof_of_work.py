# SPDX-License-Identifier: EUPL-1.2
"""Self-hosted proof of work before a hold, with a wait instead of work for pages without JS.

A challenge is ALTCHA's v1 scheme (``altcha.create_challenge_v1``): find ``n`` in
``[0, maxnumber]`` with ``sha256(salt + n) == challenge``. Its salt carries ``scope``,
``expires`` and ``not_before`` (Unix seconds) as query parameters, so the ALTCHA signature
covers them. Nothing leaves the server; ``static/proof-of-work.js`` solves it in the browser.

The no-JavaScript path: ``token`` is the same salt, signed with ``itsdangerous``
(``URLSafeSerializer``, namespace :data:`WAITED_NAMESPACE`, so its key differs from ALTCHA's).
A form sent with the token but no solution passes :func:`verify_waited` once ``not_before``
has come: people without JavaScript wait about as long as a phone works. Waiting costs a
bot no CPU, which is why holds are also rate-limited per address.

Both paths return the same id (SHA-256 of the salt): the appointments service records it
(unique), so a challenge is used once whichever path it takes.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Final, cast
from urllib.parse import parse_qs

from altcha import ChallengeOptionsV1, create_challenge_v1, solve_challenge_v1, verify_solution_v1
from altcha.v1 import PayloadType
from itsdangerous import BadSignature, URLSafeSerializer

from loket_common.errors import LoketError

from ...core.json_input import strict_loads

ALGORITHM: Final = "SHA-256"
WAITED_NAMESPACE = "loket.proof-of-work.waited"
# Rough SHA-256 rate of proof-of-work.js on a mid-range phone; sets the no-JS wait.
PHONE_HASHES_PER_SECOND = 50_000
MIN_WAIT_SECONDS, MAX_WAIT_SECONDS = 3, 20
MAX_PAYLOAD_CHARS = 2_000  # a real payload is ~400; refuse to decode anything larger

Clock = Callable[[], float]


class ProofOfWorkFailed(LoketError):
    """The solution or token is missing, wrong, expired, for another form, or too early.

    ``wait_seconds`` > 0 means only "too early": the page can say how long to wait.
    """

    status, code, title = 403, "proof_of_work_failed", "Proof of work failed"

    def __init__(self, detail: str, wait_seconds: int = 0) -> None:
        super().__init__(detail, **({"wait_seconds": wait_seconds} if wait_seconds else {}))
        self.wait_seconds = wait_seconds


def default_wait_seconds(difficulty: int) -> int:
    """The expected solve time on a mid-range phone (half the range), kept within 3-20 s."""
    expected = math.ceil(difficulty / 2 / PHONE_HASHES_PER_SECOND)
    return min(MAX_WAIT_SECONDS, max(MIN_WAIT_SECONDS, expected))


def issue_challenge(secret: str, difficulty: int, scope: str, ttl_seconds: int = 300,
                    wait_seconds: int | None = None, *, clock: Clock = time.time) -> dict:
    """A new challenge for ``scope`` (e.g. ``"hold:musterstadt"``), valid ``ttl_seconds``.

    Returns ``{"challenge": {algorithm, challenge, maxnumber, salt, signature}, "token",
    "not_before"}`` (the shape of ``appointments.schemas.ChallengeSchema``).
    """
    _require_secret(secret)
    if difficulty < 1:
        raise ValueError("difficulty must be at least 1")
    wait = default_wait_seconds(difficulty) if wait_seconds is None else wait_seconds
    if not 0 <= wait < ttl_seconds:
        raise ValueError("wait_seconds must be at least 0 and shorter than ttl_seconds")
    now = clock()
    not_before = math.ceil(now + wait)
    made = create_challenge_v1(ChallengeOptionsV1(
        algorithm=ALGORITHM, max_number=difficulty, hmac_key=secret,
        params={"scope": scope, "expires": str(int(now + ttl_seconds)),
                "not_before": str(not_before)}))
    return {
        "challenge": {"algorithm": made.algorithm, "challenge": made.challenge,
                      "maxnumber": made.max_number, "salt": made.salt,
                      "signature": made.signature},
        "token": _serializer(secret).dumps(made.salt),
        "not_before": datetime.fromtimestamp(not_before, UTC).isoformat(),
    }


def verify(secret: str, payload: str, scope: str, *, clock: Clock = time.time) -> str:
    """The challenge id if ``payload`` (base64 ALTCHA JSON) solves a ``scope`` challenge.

    Raises :class:`ProofOfWorkFailed` if not, or if the challenge has expired.
    """
    _require_secret(secret)
    solution = _decode(payload)
    # Our own type checks first: the library assumes well-formed fields.
    if not (solution.get("algorithm") == ALGORITHM
            and isinstance(solution.get("salt"), str)
            and isinstance(solution.get("challenge"), str)
            and isinstance(solution.get("signature"), str)
            and type(solution.get("number")) is int):
        raise ProofOfWorkFailed("The solved check is incomplete; please send the form again.")
    # Expiry is checked below, against the injectable clock. The checks above made it the
    # library's payload type.
    valid, _ = verify_solution_v1(cast(PayloadType, solution), secret, check_expires=False)
    if not valid:
        raise ProofOfWorkFailed("The solved check is not valid; please send the form again.")
    return _checked_id(solution["salt"], scope, clock(), waited=False)


def verify_waited(secret: str, challenge_token: str, scope: str, *,
                  clock: Clock = time.time) -> str:
    """The challenge id if the signed ``challenge_token`` is for ``scope`` and it is time.

    Raises :class:`ProofOfWorkFailed` if it is forged, expired or for another scope, or,
    with ``wait_seconds``, before ``not_before``.
    """
    _require_secret(secret)
    try:
        salt = _serializer(secret).loads(challenge_token)
    except BadSignature:
        raise ProofOfWorkFailed("The check is not valid; please load the page again.") from None
    if not isinstance(salt, str):
        raise ProofOfWorkFailed("The check is not valid; please load the page again.")
    return _checked_id(salt, scope, clock(), waited=True)


def solve(challenge: dict[str, Any]) -> str:
    """The ``pow_solution`` for an issued ``challenge`` (what proof-of-work.js sends).

    A reference client for Python callers of the API (and the tests and benchmarks).
    """
    solution = solve_challenge_v1(challenge["challenge"], challenge["salt"],
                                  challenge["algorithm"], challenge["maxnumber"])
    if solution is None:
        raise ValueError("the challenge has no solution in its range")
    payload = {key: challenge[key] for key in ("algorithm", "challenge", "salt", "signature")}
    return base64.b64encode(json.dumps({**payload, "number": solution.number}).encode()).decode()


def _checked_id(salt: str, scope: str, now: float, *, waited: bool) -> str:
    """Check the signed salt's parameters; its hash is the single-use id."""
    params = parse_qs(salt.partition("?")[2])
    values = {key: params.get(key, []) for key in ("scope", "expires", "not_before")}
    # One value each; the signature makes anything else impossible unless we issued it.
    if any(len(found) != 1 for found in values.values()):
        raise ProofOfWorkFailed("The check is not valid; please load the page again.")
    try:
        expires, not_before = float(values["expires"][0]), float(values["not_before"][0])
    except ValueError:
        raise ProofOfWorkFailed("The check is not valid; please load the page again.") from None
    if values["scope"][0] != scope:
        raise ProofOfWorkFailed("The check belongs to another form; please load the page again.")
    if now > expires:
        raise ProofOfWorkFailed("The check has expired; please load the page again.")
    if waited and now < not_before:
        wait = math.ceil(not_before - now)
        raise ProofOfWorkFailed(f"Please wait {wait} seconds, then send the form again.",
                                wait_seconds=wait)
    return hashlib.sha256(salt.encode()).hexdigest()


def _decode(payload: str) -> dict[str, Any]:
    try:
        if len(payload) > MAX_PAYLOAD_CHARS:
            raise ValueError("too long")
        decoded = strict_loads(base64.b64decode(payload, validate=True))
    except (TypeError, ValueError, binascii.Error):
        decoded = None
    if not isinstance(decoded, dict):
        raise ProofOfWorkFailed("The solved check is not readable; please send the form again.")
    return decoded


def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=WAITED_NAMESPACE)


def _require_secret(secret: str) -> None:
    # An empty key would let anyone sign their own challenges.
    if not secret:
        raise ValueError("a proof-of-work secret is required")
