# SPDX-License-Identifier: EUPL-1.2
"""SMS through the HTTP provider against a real local HTTP server."""
import pytest

from loket_notifications.delivery.channels import sms_channel
from loket_notifications.delivery.sms import HttpSmsProvider

from .conftest import outgoing
from .servers import free_port


def sms(**changes):
    return outgoing(channel="sms", recipient="+4930123456", html=None, attachments=(),
                    text="Ihr Termin: Do 3.12., 09:00. Absagen: https://t.example/m", **changes)


def test_the_provider_gets_the_documented_json_and_the_token(sms_endpoint):
    provider = HttpSmsProvider(sms_endpoint.url, token="t0ken", timeout=5)
    message = sms()
    result = sms_channel(provider).send(message)
    assert (result.outcome, result.relay, result.detail) == ("accepted", "http-sms", "http 202")
    [request] = sms_endpoint.requests
    assert request["json"] == {"to": "+4930123456", "text": message.text,
                               "reference": message.message_id}
    assert request["authorization"] == "Bearer t0ken"
    assert request["content_type"] == "application/json"
    provider.close()


@pytest.mark.parametrize("status, outcome", [
    (200, "accepted"), (400, "permanent_failure"), (404, "permanent_failure"),
    (429, "temporary_failure"), (500, "temporary_failure"), (503, "temporary_failure")])
def test_the_status_decides_the_outcome(status, outcome, sms_endpoint):
    sms_endpoint.status = status
    result = sms_channel(HttpSmsProvider(sms_endpoint.url)).send(sms())
    assert (result.outcome, result.detail) == (outcome, f"http {status}")
    assert sms_endpoint.requests[0]["authorization"] is None


def test_a_provider_that_does_not_answer_in_time(sms_endpoint):
    sms_endpoint.hang = True
    result = sms_channel(HttpSmsProvider(sms_endpoint.url, timeout=0.3)).send(sms())
    assert (result.outcome, result.detail) == ("temporary_failure", "timeout")


def test_a_provider_that_is_down():
    url = f"http://127.0.0.1:{free_port()}/sms"
    result = sms_channel(HttpSmsProvider(url, timeout=2)).send(sms())
    assert (result.outcome, result.detail) == ("temporary_failure", "refused")
