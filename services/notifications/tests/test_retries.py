# SPDX-License-Identifier: EUPL-1.2
"""Back-off and the retry horizon, as pure rules with a clock."""
from datetime import UTC, datetime, timedelta

import pytest

from loket_notifications.messages import (
    RetryPolicy,
    after_failure,
    new_message,
    outcome_update,
    report_update,
)

START = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
POLICY = RetryPolicy(first=60, longest=900, hours=4)


def message(**changes):
    record = new_message("musterstadt", "booking_confirmed", {"kind": "booking", "id": "B"},
                         "e-1", None, None, {}, None, START)
    return {**record, **changes}


def test_the_pause_doubles_up_to_the_longest():
    assert [POLICY.pause(n).total_seconds() for n in range(1, 8)] == [
        60, 120, 240, 480, 900, 900, 900]


def test_a_failure_before_the_horizon_is_tried_again_after_the_pause():
    now = START + timedelta(hours=3, minutes=59)
    update = after_failure(message(attempts=3), POLICY, now, "local", "smtp 421")
    assert update["$set"]["state"] == "temporary_failure"
    assert update["$set"]["next_try_at"] == now + timedelta(seconds=240)
    assert update["$push"]["history"] == {"state": "temporary_failure", "at": now,
                                          "relay": "local", "detail": "smtp 421"}


def test_past_the_horizon_a_failure_is_permanent():
    now = START + timedelta(hours=4)
    update = after_failure(message(attempts=30), POLICY, now, None, "timeout")
    assert update["$set"]["state"] == "permanent_failure"
    assert update["$set"]["next_try_at"] is None


def test_retried_for_at_least_the_horizon_with_every_pause():
    """Trying each time the pause ends, the last try is not before the horizon."""
    clock, attempts = START, 0
    while True:
        attempts += 1
        update = after_failure(message(attempts=attempts), POLICY, clock, None, "timeout")
        if update["$set"]["state"] == "permanent_failure":
            break
        clock = update["$set"]["next_try_at"]
    assert clock >= START + timedelta(hours=4)
    assert attempts == 20  # after 60+120+240+480 s (15 min), every 15 min until 4 h


def test_a_resend_starts_the_horizon_again():
    now = START + timedelta(hours=10)
    update = after_failure(message(attempts=1, retry_from=now - timedelta(minutes=1)),
                           POLICY, now, None, "timeout")
    assert update["$set"]["state"] == "temporary_failure"


@pytest.mark.parametrize(("outcome", "state"), [("accepted", "accepted"),
                                                ("permanent_failure", "permanent_failure"),
                                                ("temporary_failure", "temporary_failure")])
def test_a_channel_outcome_sets_the_state(outcome, state):
    update = outcome_update(message(attempts=1), outcome, "local", "250", POLICY, START)
    assert update["$set"]["state"] == state


@pytest.mark.parametrize(("action", "status", "state"), [
    ("failed", "5.1.1", "bounced"), ("delivered", "2.0.0", "delivered"),
    ("delayed", "4.4.7", "accepted"), ("failed", "4.4.1", "accepted")])
def test_a_relay_report_moves_an_accepted_message(action, status, state):
    update = report_update(message(state="accepted"), action, status, START)
    assert update["$set"].get("state", "accepted") == state
    assert update["$push"]["history"]["detail"] == status
