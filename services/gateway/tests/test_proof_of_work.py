"""Proof of work before a hold: a real solution passes once per scope and time; waiting
replaces the work for forms sent without JavaScript."""
import base64
import hashlib
import json

import pytest

from loket_common.errors import LoketError
from loket_gateway.appointments.anti_bot.proof_of_work import (
    ProofOfWorkFailed,
    default_wait_seconds,
    issue_challenge,
    verify,
    verify_waited,
)

SECRET = "test-secret-not-for-production"
SCOPE = "hold:musterstadt"
NOW = 1_800_000_000.0


def at(seconds: float):
    return lambda: seconds


def issue(**options):
    return issue_challenge(SECRET, 2_000, SCOPE, ttl_seconds=300, wait_seconds=10,
                           clock=at(NOW), **options)


def solve(challenge: dict) -> int:
    # What proof-of-work.js does: try every number until the hash matches.
    for number in range(challenge["maxnumber"] + 1):
        digest = hashlib.sha256(f"{challenge['salt']}{number}".encode()).hexdigest()
        if digest == challenge["challenge"]:
            return number
    raise AssertionError("no solution in range")


def payload(challenge: dict, /, **changes) -> str:
    fields = {key: challenge[key] for key in ("algorithm", "challenge", "salt", "signature")}
    fields["number"] = solve(challenge)
    fields.update(changes)
    return base64.b64encode(json.dumps(fields).encode()).decode()


def test_a_solved_challenge_passes_and_its_id_is_the_salts_hash():
    issued = issue()
    challenge_id = verify(SECRET, payload(issued["challenge"]), SCOPE, clock=at(NOW + 1))
    assert challenge_id == hashlib.sha256(issued["challenge"]["salt"].encode()).hexdigest()


def test_a_challenge_is_json_and_carries_scope_expiry_and_not_before_in_its_salt():
    issued = issue()
    assert json.loads(json.dumps(issued)) == issued
    challenge = issued["challenge"]
    assert challenge["algorithm"] == "SHA-256" and challenge["maxnumber"] == 2_000
    assert "scope=hold%3Amusterstadt" in challenge["salt"]
    assert f"expires={int(NOW) + 300}" in challenge["salt"]
    assert f"not_before={int(NOW) + 10}" in challenge["salt"]
    assert issued["not_before"] == "2027-01-15T08:00:10+00:00"


def test_both_paths_give_the_same_id_so_one_challenge_is_used_once():
    issued = issue()
    solved = verify(SECRET, payload(issued["challenge"]), SCOPE, clock=at(NOW + 11))
    waited = verify_waited(SECRET, issued["token"], SCOPE, clock=at(NOW + 11))
    assert solved == waited


def test_another_forms_challenge_fails():
    issued = issue()
    with pytest.raises(ProofOfWorkFailed, match="another form"):
        verify(SECRET, payload(issued["challenge"]), "hold:andere-stadt", clock=at(NOW))


def test_an_expired_challenge_fails():
    issued = issue()
    with pytest.raises(ProofOfWorkFailed, match="expired"):
        verify(SECRET, payload(issued["challenge"]), SCOPE, clock=at(NOW + 301))


def test_a_wrong_number_fails():
    issued = issue()
    wrong = (solve(issued["challenge"]) + 1) % (issued["challenge"]["maxnumber"] + 1)
    with pytest.raises(ProofOfWorkFailed, match="not valid"):
        verify(SECRET, payload(issued["challenge"], number=wrong), SCOPE, clock=at(NOW))


@pytest.mark.parametrize("tamper", [
    # Another scope in the salt: the hash no longer matches the signed challenge.
    lambda c: {"salt": c["salt"].replace("musterstadt", "andere-stadt")},
    # A later expiry in the salt.
    lambda c: {"salt": c["salt"].replace("expires=", "expires=9")},
    lambda c: {"signature": "0" * 64},
    lambda c: {"challenge": hashlib.sha256(b"mine").hexdigest()},
])
def test_a_tampered_solution_fails(tamper):
    issued = issue()
    with pytest.raises(ProofOfWorkFailed):
        verify(SECRET, payload(issued["challenge"], **tamper(issued["challenge"])), SCOPE,
               clock=at(NOW))


def test_a_challenge_signed_with_another_secret_fails():
    issued = issue_challenge("another-secret", 2_000, SCOPE, clock=at(NOW))
    with pytest.raises(ProofOfWorkFailed):
        verify(SECRET, payload(issued["challenge"]), SCOPE, clock=at(NOW))


@pytest.mark.parametrize("garbage", [
    "", "not base64!", base64.b64encode(b"not json").decode(),
    base64.b64encode(b"[1, 2]").decode(), base64.b64encode(b"{}").decode(),
    base64.b64encode(json.dumps({"algorithm": "SHA-1", "challenge": "a", "salt": "b",
                                 "signature": "c", "number": 1}).encode()).decode(),
    base64.b64encode(json.dumps({"algorithm": "SHA-256", "challenge": "a", "salt": 5,
                                 "signature": "c", "number": "1"}).encode()).decode(),
    "A" * 4_000,
])
def test_an_unreadable_solution_fails_without_a_crash(garbage):
    with pytest.raises(ProofOfWorkFailed):
        verify(SECRET, garbage, SCOPE, clock=at(NOW))


def test_without_javascript_the_form_passes_after_not_before():
    issued = issue()
    challenge_id = verify_waited(SECRET, issued["token"], SCOPE, clock=at(NOW + 10))
    assert challenge_id == hashlib.sha256(issued["challenge"]["salt"].encode()).hexdigest()


def test_without_javascript_too_early_says_how_long_to_wait():
    issued = issue()
    with pytest.raises(ProofOfWorkFailed) as raised:
        verify_waited(SECRET, issued["token"], SCOPE, clock=at(NOW + 3.5))
    assert raised.value.wait_seconds == 7
    assert "wait 7 seconds" in raised.value.detail
    assert raised.value.extra == {"wait_seconds": 7}


@pytest.mark.parametrize("seconds_later, scope, match", [
    (301, SCOPE, "expired"),
    (11, "hold:andere-stadt", "another form"),
])
def test_without_javascript_expiry_and_scope_still_count(seconds_later, scope, match):
    issued = issue()
    with pytest.raises(ProofOfWorkFailed, match=match) as raised:
        verify_waited(SECRET, issued["token"], scope, clock=at(NOW + seconds_later))
    assert raised.value.wait_seconds == 0


@pytest.mark.parametrize("token", [
    "", "garbage", "InNhbHQi.forged-signature",
])
def test_a_forged_token_fails(token):
    with pytest.raises(ProofOfWorkFailed, match="not valid"):
        verify_waited(SECRET, token, SCOPE, clock=at(NOW + 100))


def test_a_token_signed_with_another_secret_fails():
    issued = issue_challenge("another-secret", 2_000, SCOPE, wait_seconds=0, clock=at(NOW))
    with pytest.raises(ProofOfWorkFailed, match="not valid"):
        verify_waited(SECRET, issued["token"], SCOPE, clock=at(NOW + 1))


def test_the_default_wait_grows_with_difficulty_within_bounds():
    assert default_wait_seconds(1_000) == 3
    assert default_wait_seconds(1_000_000) == 10
    assert default_wait_seconds(100_000_000) == 20
    issued = issue_challenge(SECRET, 1_000_000, SCOPE, clock=at(NOW))
    assert issued["not_before"] == "2027-01-15T08:00:10+00:00"


def test_the_error_maps_like_every_other_loket_error():
    error = ProofOfWorkFailed("no")
    assert isinstance(error, LoketError)
    assert error.code == "proof_of_work_failed" and error.extra == {}


@pytest.mark.parametrize("options", [
    {"secret": ""}, {"difficulty": 0}, {"wait_seconds": 300}, {"wait_seconds": -1},
])
def test_nonsense_settings_are_refused(options):
    arguments = {"secret": SECRET, "difficulty": 1_000, "scope": SCOPE, **options}
    with pytest.raises(ValueError):
        issue_challenge(**arguments)


def test_the_reference_solver_makes_a_payload_that_verifies():
    from loket_gateway.appointments.anti_bot.proof_of_work import solve as reference_solve

    issued = issue()
    payload = reference_solve(issued["challenge"])
    assert verify(SECRET, payload, SCOPE, clock=at(NOW + 1)) == verify(
        SECRET, payload, SCOPE, clock=at(NOW + 2))
