# SPDX-License-Identifier: EUPL-1.2
"""``NOTIFICATIONS_SMTP_RELAYS`` parsed into relays; bad values named without the password."""
import pytest

from loket_notifications.delivery.relays import Relay, parse_relays, relays_for


def test_relays_with_options_defaults_and_encoded_credentials():
    relays = parse_relays(
        "main=smtp://loket%40city:p%40ss%2Cword@mail.city.example:587?security=starttls"
        "&timeout=5&rate=50, backup=smtps://backup.example, dev=smtp://127.0.0.1:2525?"
        "security=none", environ={})
    assert relays == (
        Relay("main", "mail.city.example", 587, "starttls", "loket@city", "p@ss,word", 5.0, 50),
        Relay("backup", "backup.example", 465, "tls", None, None, 10.0, 0),
        Relay("dev", "127.0.0.1", 2525, "none", None, None, 10.0, 0))
    assert "p@ss" not in repr(relays)


def test_the_password_may_come_from_its_own_variable():
    [relay] = parse_relays("eu-relay=smtp://loket@relay.example",
                           environ={"NOTIFICATIONS_SMTP_PASSWORD_EU_RELAY": "from-env"})
    assert (relay.username, relay.password, relay.port) == ("loket", "from-env", 587)


def test_an_empty_value_declares_no_relay():
    assert parse_relays("", environ={}) == ()


@pytest.mark.parametrize("value, message", [
    ("smtp://host:25", "relay 1: expected id=smtp://"),
    ("a=http://host", "relay 'a': the URL must start with smtp:// or smtps://"),
    ("a=smtp://:25", "relay 'a': the URL names no host"),
    ("a=smtp://u:secretpw@host:99999", "relay 'a': the port must be a whole number"),
    ("a=smtp://host?security=ssl", "relay 'a': security must be one of"),
    ("a=smtp://host?speed=1", "relay 'a': unknown option 'speed'"),
    ("a=smtp://host?rate=1.5", "relay 'a': timeout must be > 0 seconds, rate a whole number"),
    ("a=smtp://host?timeout=soon", "relay 'a': timeout must be a number, got 'soon'"),
    ("a=smtp://:secretpw@host", "relay 'a': a password needs a user name"),
    ("a=smtp://h1,a=smtp://h2", "relay 'a' is declared twice"),
    ("x y=smtp://u:secretpw@host", "relay 1: expected id="),
])
def test_a_bad_value_says_what_is_wrong_and_never_the_password(value, message):
    with pytest.raises(ValueError) as error:
        parse_relays(value, environ={})
    assert str(error.value).startswith(message)
    assert "secretpw" not in str(error.value)


def test_a_tenants_relays_in_its_order_or_all_of_them():
    relays = parse_relays("a=smtp://a.example,b=smtp://b.example,c=smtp://c.example",
                          environ={})
    assert [relay.id for relay in relays_for(["c", "a"], relays)] == ["c", "a"]
    assert [relay.id for relay in relays_for([], relays)] == ["a", "b", "c"]
    with pytest.raises(ValueError, match="unknown relay 'z'"):
        relays_for(["a", "z"], relays)
