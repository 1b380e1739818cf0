"""The rising proof of work and the client's network (pure: no Flask, no I/O)."""
import ipaddress

import pytest

from loket_gateway.appointments.anti_bot.escalation import (
    Escalation,
    in_networks,
    network_of,
    parse_networks,
)


@pytest.mark.parametrize(("address", "network"), [
    ("198.51.100.77", "198.51.100.0/24"),
    ("198.51.100.0", "198.51.100.0/24"),
    ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"),
    ("2001:DB8:1:2::1", "2001:db8:1:2::/64"),
    ("::ffff:198.51.100.9", "198.51.100.0/24"),  # IPv4-mapped: the IPv4 network
    (" 203.0.113.5 ", "203.0.113.0/24"),
    ("not-an-address", "not-an-address"),  # its own network, never merged with others
])
def test_the_network_of_an_address(address, network):
    assert network_of(address) == network


def test_neighbours_share_a_network_and_others_do_not():
    assert network_of("198.51.100.1") == network_of("198.51.100.254")
    assert network_of("198.51.100.1") != network_of("198.51.101.1")
    assert network_of("2001:db8:1:2::1") == network_of("2001:db8:1:2:ffff::1")
    assert network_of("2001:db8:1:2::1") != network_of("2001:db8:1:3::1")


def test_exempt_networks_are_parsed_and_matched():
    networks = parse_networks("127.0.0.0/8, 10.0.0.0/8,2001:db8::/32,")
    assert networks == (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("10.0.0.0/8"),
                        ipaddress.ip_network("2001:db8::/32"))
    assert in_networks("10.1.2.3", networks) and in_networks("::ffff:127.0.0.1", networks)
    assert in_networks("2001:db8:5::1", networks)
    assert not in_networks("198.51.100.1", networks) and not in_networks("bogus", networks)
    assert parse_networks("") == ()
    with pytest.raises(ValueError):
        parse_networks("10.0.0.0/33")


RISING = Escalation(free_per_address=10, free_per_network=40, max_doublings=5)


@pytest.mark.parametrize(("address_count", "network_count", "difficulty"), [
    (1, 1, 50_000),
    (10, 10, 50_000),  # the free allowance
    (11, 11, 100_000),  # each action beyond it doubles
    (13, 13, 400_000),
    (15, 15, 1_600_000),
    (60, 60, 1_600_000),  # capped at 2^5
    (1, 41, 100_000),  # a busy network raises it for a quiet address
    (12, 42, 200_000),  # the larger excess counts, not the sum
])
def test_the_difficulty_doubles_beyond_the_free_actions_up_to_a_cap(address_count,
                                                                    network_count, difficulty):
    assert RISING.difficulty(50_000, address_count, network_count) == difficulty


def test_the_wait_rises_the_same_way():
    assert RISING.wait_seconds(3, 10, 0) == 3
    assert RISING.wait_seconds(3, 12, 0) == 12
    assert RISING.wait_seconds(3, 99, 99) == 96
    assert Escalation(max_doublings=0).wait_seconds(3, 99, 99) == 3
