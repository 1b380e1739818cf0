# SPDX-License-Identifier: EUPL-1.2
"""Per-relay rates shared by limiters on one database, and what the email channel does then."""
import eventlet

from loket_common.testing import Clock
from loket_notifications.delivery.channels import email_channel
from loket_notifications.delivery.rate_limit import COLLECTION, RelayRateLimit
from loket_notifications.delivery.relays import Relay

from .conftest import outgoing


def test_two_limiters_on_one_database_share_a_relays_rate(database):
    clock = Clock(1_800_000_000.2)
    first, second = RelayRateLimit(database, clock), RelayRateLimit(database, clock)
    taken = [limiter.take("main", 3) for limiter in (first, second, first, second)]
    assert taken == [True, True, True, False]
    assert second.take("other", 3)  # each relay its own budget
    clock.now += 1  # the next second: a new budget
    assert [first.take("main", 3), second.take("main", 3)] == [True, True]
    assert first.take("main", 0)  # rate 0: no limit
    assert database[COLLECTION].count_documents({"relay": "main"}) == 2
    assert "tenant" not in database[COLLECTION].find_one()
    ttl = [index for index in database[COLLECTION].index_information().values()
           if "expireAfterSeconds" in index]
    assert [index["key"] for index in ttl] == [[("expires_at", 1)]]  # made on the first take


def test_concurrent_takes_never_exceed_the_rate(database):
    clock = Clock(1_800_000_100.5)
    limiters = [RelayRateLimit(database, clock) for _ in range(2)]
    pile = eventlet.GreenPile(20)
    for number in range(20):
        pile.spawn(limiters[number % 2].take, "main", 5)
    assert sum(pile) == 5


def test_waiting_for_the_next_second_up_to_the_limit(database):
    clock = Clock(1_800_000_200.9)
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        clock.now += seconds

    limiter = RelayRateLimit(database, clock, sleep)
    assert limiter.take("main", 1)
    assert limiter.take_waiting("main", 1, max_wait=1.0)  # waited into the next second
    assert round(sum(slept), 3) == 0.1
    assert limiter.take_waiting("main", 1, max_wait=0.5) is False  # too long to wait
    assert round(sum(slept), 3) == 0.6


def test_a_relay_over_its_rate_is_skipped_to_the_next(database, relays, pools):
    clock = Clock(1_800_000_300.0)
    limiter = RelayRateLimit(database, clock, sleep=lambda seconds: None)
    first, second = relays(), relays()
    both = [Relay("a", "127.0.0.1", first.port, "none", rate=1),
            Relay("b", "127.0.0.1", second.port, "none", rate=1)]
    channel = email_channel(both, limiter, pools=pools)
    assert channel.send(outgoing()).relay == "a"
    skipped = channel.send(outgoing())
    assert [(a.relay, a.detail) for a in skipped.attempts] == [("a", "rate_limited"),
                                                               ("b", "250")]
    full = channel.send(outgoing())  # the clock stands still: no budget comes back
    assert (full.outcome, full.detail) == ("temporary_failure", "rate_limited")
    assert [len(first.received), len(second.received)] == [1, 1]
