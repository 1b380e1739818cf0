# SPDX-License-Identifier: EUPL-1.2
"""Fixtures of the delivery tests: relays, certificates, an outgoing message."""
import uuid

import pytest

from loket_notifications.delivery.channels import Attachment, Outgoing
from loket_notifications.delivery.smtp_pool import SmtpPools

from .servers import SilentPort, SmsEndpoint, TestRelay, TlsFiles

ICS = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Loket//Test//DE\r\nBEGIN:VEVENT\r\n"
       b"UID:b-1@loket\r\nDTSTAMP:20261202T080000Z\r\nDTSTART:20261203T080000Z\r\n"
       b"DTEND:20261203T081500Z\r\nSUMMARY:Personalausweis beantragen\r\nEND:VEVENT\r\n"
       b"END:VCALENDAR\r\n")


@pytest.fixture(scope="session")
def tls(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 (trusted through its file as the CA)."""
    return TlsFiles(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def relays():
    """Start test relays: ``relays(security="none", tls=None, users=None)``; stopped after."""
    started = []

    def start(**options):
        relay = TestRelay(**options).start()
        started.append(relay)
        return relay

    yield start
    for relay in started:
        relay.stop()


@pytest.fixture
def silent_port():
    port = SilentPort()
    yield port
    port.close()


@pytest.fixture
def pools(tls):
    """Connection pools of this test only, trusting the test certificate."""
    pools = SmtpPools(str(tls.cert_file))
    yield pools
    pools.close()


@pytest.fixture
def sms_endpoint():
    endpoint = SmsEndpoint()
    yield endpoint
    endpoint.close()


def outgoing(**changes) -> Outgoing:
    """A booking confirmation with text, HTML and an .ics, to anna@example.org."""
    values = dict(
        message_id=str(uuid.uuid4()), tenant="musterstadt", channel="email",
        recipient="anna@example.org", sender="termine@musterstadt.example",
        sender_name="Bürgeramt Musterstadt", bounce_address="bounces@musterstadt.example",
        subject="Ihr Termin am 3. Dezember – bestätigt",
        text="Guten Tag,\n\nIhr Termin ist gebucht: Donnerstag, 3. Dezember, 09:00 Uhr.\n",
        html="<!doctype html><html lang=\"de\"><body><h1>Ihr Termin</h1>"
             "<p>Donnerstag, 3. Dezember, 09:00 Uhr</p></body></html>",
        language="de",
        attachments=(Attachment("termin.ics", "text/calendar; method=PUBLISH; charset=utf-8",
                                ICS),))
    values.update(changes)
    return Outgoing(**values)
