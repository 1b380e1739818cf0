# SPDX-License-Identifier: EUPL-1.2
"""Delivery status notifications as real relays write them, and the ones Loket builds."""
import uuid
from pathlib import Path

import pytest

from loket_notifications.delivery.channels import message_id_header
from loket_notifications.delivery.dsn import DeliveryReport, NotAReport, build_dsn, parse_dsn
from loket_notifications.delivery.email_message import build_email

from .conftest import outgoing

SAMPLES = Path(__file__).with_name("samples")


def sample(name: str, message_id: str, tenant: str = "musterstadt") -> bytes:
    text = (SAMPLES / name).read_text(encoding="utf-8")
    return text.replace("MESSAGE_ID_HEADER", message_id_header(message_id, tenant)).encode()


@pytest.mark.parametrize("name, action, status, recipient", [
    ("postfix-failed.eml", "failed", "5.1.1", "anna@example.org"),
    ("postfix-delayed.eml", "delayed", "4.4.1", "ben@example.net"),
    ("exim-failed.eml", "failed", "5.0.0", "anna@example.org"),
    ("exchange-failed.eml", "failed", "5.1.10", "Anna.Schmidt@example.org"),
])
def test_real_world_reports_name_the_message_tenant_and_fate(name, action, status, recipient):
    message_id = str(uuid.uuid4())
    reports = parse_dsn(sample(name, message_id))
    assert reports == [DeliveryReport(message_id, "musterstadt", action, status, recipient)]
    assert reports[0].as_rpc() == {"message_id": message_id, "action": action,
                                   "status": status, "recipient": recipient}


def test_crlf_line_ends_as_relays_send_them():
    message_id = str(uuid.uuid4())
    raw = sample("exchange-failed.eml", message_id).replace(b"\n", b"\r\n")
    assert parse_dsn(raw)[0].message_id == message_id


@pytest.mark.parametrize("raw, code", [
    (sample("out-of-office.eml", str(uuid.uuid4())), "not_a_report"),
    (sample("postfix-failed.eml", "x").replace(b"x.musterstadt@loket.invalid",
                                               b"20261202.abc@elsewhere.example"),
     "unknown_message_id"),
    (b"\x00\xff not even mail", "not_a_report"),
])
def test_what_is_not_a_report_of_ours_is_named_by_a_code(raw, code):
    with pytest.raises(NotAReport) as error:
        parse_dsn(raw)
    assert error.value.code == code


@pytest.mark.parametrize("whole_message", [False, True])
@pytest.mark.parametrize("action, status", [("failed", "5.1.1"), ("delivered", "2.0.0"),
                                            ("delayed", "4.4.7")])
def test_a_built_report_parses_back(action, status, whole_message):
    message = outgoing()
    raw = build_dsn(build_email(message), recipient=message.recipient,
                    to=message.bounce_address, action=action, status=status,
                    whole_message=whole_message)
    assert parse_dsn(raw) == [DeliveryReport(message.message_id, message.tenant, action,
                                             status, message.recipient)]


def test_build_refuses_what_rfc_3464_does_not_know():
    with pytest.raises(ValueError):
        build_dsn(build_email(outgoing()), recipient="a@example.org", to="b@example.org",
                  action="lost")
