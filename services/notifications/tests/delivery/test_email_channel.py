# SPDX-License-Identifier: EUPL-1.2
"""Email through real aiosmtpd relays: the message as received, TLS, AUTH, failover, pooling."""
import eventlet
import icalendar
import pytest

from loket_common.testing import Clock, wait_for
from loket_notifications.delivery.channels import email_channel, parse_message_id_header
from loket_notifications.delivery.relays import Relay
from loket_notifications.delivery.smtp_pool import IDLE_CHECK_SECONDS, MAX_IDLE_SECONDS, SmtpPools

from .conftest import ICS, outgoing


def relay_of(server, relay_id="a", **changes) -> Relay:
    return Relay(**{"id": relay_id, "host": "127.0.0.1", "port": server.port,
                    "security": "none", "timeout": 5.0, **changes})


def test_the_relay_receives_text_html_and_the_calendar_file(relays, pools):
    server = relays()
    message = outgoing()
    result = email_channel([relay_of(server)], None, pools=pools).send(message)

    assert (result.outcome, result.relay, result.detail) == ("accepted", "a", "250")
    assert [(a.relay, a.outcome) for a in result.attempts] == [("a", "accepted")]
    [received] = server.received
    assert received.mail_from == "bounces@musterstadt.example"  # the tenant's bounce address
    assert received.rcpt_tos == ["anna@example.org"]
    email = received.message
    assert email["From"].addresses[0].display_name == "Bürgeramt Musterstadt"
    assert email["From"].addresses[0].addr_spec == "termine@musterstadt.example"
    assert str(email["To"]) == "anna@example.org"
    assert str(email["Subject"]) == "Ihr Termin am 3. Dezember – bestätigt"
    assert email["Date"].datetime is not None
    assert parse_message_id_header(str(email["Message-ID"])) == (message.message_id,
                                                                 "musterstadt")
    assert email["Auto-Submitted"] == "auto-generated"
    assert email["Content-Language"] == "de"
    assert email.get_content_type() == "multipart/mixed"
    alternative, calendar = email.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    text, html = alternative.iter_parts()  # plain text first, the preferred HTML last
    assert text.get_content_type() == "text/plain"
    assert "09:00 Uhr" in text.get_content()
    assert html.get_content_type() == "text/html"
    assert '<html lang="de">' in html.get_content()
    assert calendar.get_content_type() == "text/calendar"
    assert calendar.get_param("method") == "PUBLISH"
    assert calendar.get_content_charset() == "utf-8"
    assert calendar.get_filename() == "termin.ics"
    assert calendar.get_payload(decode=True) == ICS  # byte for byte, CRLF kept
    event = icalendar.Calendar.from_ical(calendar.get_payload(decode=True)).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Personalausweis beantragen"


def test_a_message_without_html_or_attachments_is_plain_text(relays, pools):
    server = relays()
    email_channel([relay_of(server)], None, pools=pools).send(
        outgoing(html=None, attachments=(), language="en", subject="Your appointment"))
    email = server.received[0].message
    assert email.get_content_type() == "text/plain"
    assert email["Content-Language"] == "en"
    assert "src=" not in email.as_string()  # nothing remote was added


def test_starttls_with_a_trusted_certificate_and_auth(relays, tls, pools):
    server = relays(security="starttls", tls=tls, users={"loket": "s3cret"})
    relay = relay_of(server, security="starttls", username="loket", password="s3cret")
    result = email_channel([relay], None, pools=pools).send(outgoing())
    assert result.outcome == "accepted"
    assert len(server.received) == 1

    wrong = relay_of(server, relay_id="b", security="starttls", username="loket",
                     password="wrong")
    refused = email_channel([wrong], None, pools=pools).send(outgoing())
    assert (refused.outcome, refused.detail) == ("temporary_failure", "auth 535")
    assert "wrong" not in repr(refused) and "wrong" not in repr(wrong)


def test_a_relay_certificate_nobody_trusts_is_a_tls_failure(relays, tls):
    server = relays(security="starttls", tls=tls)
    untrusting = SmtpPools()  # the system's CAs only
    try:
        result = email_channel([relay_of(server, security="starttls")], None,
                               pools=untrusting).send(outgoing())
    finally:
        untrusting.close()
    assert (result.outcome, result.detail) == ("temporary_failure", "tls")
    assert server.received == []


def test_implicit_tls(relays, tls, pools):
    server = relays(security="tls", tls=tls)
    result = email_channel([relay_of(server, security="tls")], None, pools=pools).send(
        outgoing())
    assert result.outcome == "accepted"
    assert len(server.received) == 1


@pytest.mark.parametrize("trouble", ["421", "down", "timeout", "relaying denied"])
def test_the_second_relay_delivers_when_the_first_cannot(trouble, relays, pools, silent_port):
    second = relays()
    if trouble == "down":
        silent_port.close()  # nothing listens there any more: connections are refused
        first = relay_of(second, port=silent_port.port)
    elif trouble == "timeout":
        first = relay_of(second, port=silent_port.port, timeout=0.5)
    else:
        broken = relays()
        if trouble == "421":
            broken.handler.mail_answer = "421 4.3.2 Service shutting down"
        else:
            broken.handler.rcpt_answer = "554 5.7.1 Relay access denied"
        first = relay_of(broken)
    result = email_channel([first, relay_of(second, relay_id="b")], None, pools=pools).send(
        outgoing())

    expected = {"421": "smtp 421", "down": "refused", "timeout": "timeout",
                "relaying denied": "5.7.1"}[trouble]
    assert [(a.relay, a.detail) for a in result.attempts] == [("a", expected), ("b", "250")]
    assert (result.outcome, result.relay) == ("accepted", "b")
    assert len(second.received) == 1


def test_a_recipient_refused_with_5xx_is_permanent_without_failover(relays, pools):
    first, second = relays(), relays()
    first.handler.rcpt_answer = "550 5.1.1 <anna@example.org>: Recipient address rejected"
    result = email_channel([relay_of(first), relay_of(second, relay_id="b")], None,
                           pools=pools).send(outgoing())
    assert (result.outcome, result.relay, result.detail) == ("permanent_failure", "a", "5.1.1")
    assert len(result.attempts) == 1
    assert second.received == []
    assert "anna" not in repr(result)  # codes only, never the server's text


def test_a_recipient_refused_with_4xx_goes_to_the_next_relay(relays, pools):
    first, second = relays(), relays()
    first.handler.rcpt_answer = "450 4.2.0 Mailbox busy"
    result = email_channel([relay_of(first), relay_of(second, relay_id="b")], None,
                           pools=pools).send(outgoing())
    assert [a.detail for a in result.attempts] == ["smtp 450", "250"]
    assert result.outcome == "accepted"


def test_5xx_on_mail_or_data_is_permanent_only_when_every_relay_says_so(relays, pools):
    first, second = relays(), relays()
    first.handler.mail_answer = "553 5.7.1 Sender address rejected"
    second.handler.data_answer = "554 5.6.0 Message content rejected"
    both = [relay_of(first), relay_of(second, relay_id="b")]
    result = email_channel(both, None, pools=pools).send(outgoing())
    assert (result.outcome, result.detail) == ("permanent_failure", "5.6.0")
    assert [a.outcome for a in result.attempts] == ["permanent_failure"] * 2

    second.handler.data_answer = None
    assert email_channel(both, None, pools=pools).send(outgoing()).outcome == "accepted"


def test_every_relay_down_is_a_temporary_failure(relays, pools, silent_port):
    gone = relays()
    gone.stop()
    result = email_channel([relay_of(gone), relay_of(gone, relay_id="b",
                                                     port=silent_port.port, timeout=0.3)],
                           None, pools=pools).send(outgoing())
    assert (result.outcome, result.relay) == ("temporary_failure", "b")
    assert [a.detail for a in result.attempts] == ["refused", "timeout"]


def test_no_relay_is_a_temporary_failure(pools):
    result = email_channel([], None, pools=pools).send(outgoing())
    assert (result.outcome, result.relay, result.detail) == ("temporary_failure", None,
                                                             "no_relay")


def test_a_pooled_connection_is_reused_and_reopened_after_the_server_drops_it(relays, pools):
    server = relays()
    relay = relay_of(server)
    channel = email_channel([relay], None, pools=pools)
    for _ in range(3):
        assert channel.send(outgoing()).outcome == "accepted"
    assert len({received.peer for received in server.received}) == 1  # one connection
    assert pools.for_relay(relay).opened == 1

    server.drop_connections()
    wait_for(lambda: all(s.transport is None or s.transport.is_closing()
                         for s in server.handler.servers))
    assert channel.send(outgoing()).outcome == "accepted"
    assert len(server.received) == 4
    assert len({received.peer for received in server.received}) == 2
    assert pools.for_relay(relay).opened == 2


def test_concurrent_senders_each_get_a_connection_of_their_own(relays, pools):
    server = relays()
    channel = email_channel([relay_of(server)], None, pools=pools)
    pile = eventlet.GreenPile(8)
    for _ in range(16):
        pile.spawn(channel.send, outgoing())
    assert [result.outcome for result in pile] == ["accepted"] * 16
    assert len(server.received) == 16
    assert len({r.message["Message-ID"] for r in server.received}) == 16


def test_an_idle_connection_is_checked_before_use_and_closed_when_idle_too_long(relays, tls):
    clock = Clock(1000.0)
    pools = SmtpPools(str(tls.cert_file), clock=clock)
    server = relays()
    relay = relay_of(server)
    channel = email_channel([relay], None, pools=pools)
    try:
        assert channel.send(outgoing()).outcome == "accepted"
        clock.now += IDLE_CHECK_SECONDS + 1  # idle a while: RSET first, still alive
        assert channel.send(outgoing()).outcome == "accepted"
        assert pools.for_relay(relay).opened == 1

        server.drop_connections()
        wait_for(lambda: all(s.transport is None or s.transport.is_closing()
                             for s in server.handler.servers))
        clock.now += IDLE_CHECK_SECONDS + 1  # RSET finds it dead: a new one, no failure
        result = channel.send(outgoing())
        assert [a.detail for a in result.attempts] == ["250"]
        assert pools.for_relay(relay).opened == 2

        clock.now += MAX_IDLE_SECONDS + 1  # too long idle: closed unasked, a new one opened
        assert channel.send(outgoing()).outcome == "accepted"
        assert pools.for_relay(relay).opened == 3
    finally:
        pools.close()
    assert len(server.received) == 4


def test_a_reused_connection_the_relay_closes_with_421_is_replaced(relays, pools):
    server = relays()
    relay = relay_of(server)
    channel = email_channel([relay], None, pools=pools)
    assert channel.send(outgoing()).outcome == "accepted"
    server.handler.mail_answer, server.handler.mail_answer_once = (
        "421 4.4.2 Idle too long, closing connection", True)
    result = channel.send(outgoing())
    assert [a.detail for a in result.attempts] == ["250"]
    assert pools.for_relay(relay).opened == 2
    assert len(server.received) == 2


@pytest.mark.parametrize("address", ["anna", "anna@example.org\r\nBcc: eve@example.org",
                                     "a b@example.org", "", "<anna@example.org>"])
def test_a_recipient_that_is_no_address_fails_permanently_without_a_relay(address, relays,
                                                                         pools):
    server = relays()
    result = email_channel([relay_of(server)], None, pools=pools).send(
        outgoing(recipient=address))
    assert (result.outcome, result.relay, result.detail, result.attempts) == (
        "permanent_failure", None, "invalid_address", ())
    assert server.received == []


def test_an_international_address_goes_with_smtputf8_to_a_relay_that_offers_it(relays,
                                                                               pools):
    plain, international = relays(), relays(smtputf8=True)
    result = email_channel([relay_of(plain), relay_of(international, relay_id="b")], None,
                           pools=pools).send(outgoing(recipient="jörg@exämple.de"))
    assert [(a.relay, a.detail) for a in result.attempts] == [("a", "not_supported"),
                                                              ("b", "250")]
    server = international
    assert server.received[0].rcpt_tos == ["jörg@exämple.de"]
    assert str(server.received[0].message["To"]) == "jörg@exämple.de"
