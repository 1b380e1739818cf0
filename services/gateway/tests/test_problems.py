import json

import pytest
from nameko.exceptions import MethodNotFound, RemoteError, RpcTimeout, UnknownService

from loket_appointments.exceptions import BookingsAffected, VersionConflict
from loket_common.errors import LoketError, ValidationFailed
from loket_gateway.core.problems import from_exception
from loket_permits.exceptions import DraftIncomplete


def _body(response):
    assert response.mimetype == "application/problem+json"
    return json.loads(response.get_data())


def remote(error: LoketError) -> RemoteError:
    """``error`` as the gateway receives it when a service raises it (nameko's serialisation)."""
    return RemoteError(type(error).__name__, str(error))


def test_remote_validation_error_keeps_invalid_params(app):
    error = ValidationFailed("bad", invalid_params=[{"name": "email", "reason": "x"}])
    with app.app_context():
        response = from_exception(remote(error))
    body = _body(response)
    assert response.status_code == 400
    assert body["code"] == "validation_failed"
    assert body["invalid_params"] == [{"name": "email", "reason": "x"}]
    assert body["type"].endswith("/validation_failed")


def test_remote_conflicts_say_how_many_bookings_and_which_version(app):
    with app.app_context():
        body = _body(from_exception(remote(
            BookingsAffected("2 bookings", affected_bookings=2, secret="no"))))
        stale = _body(from_exception(remote(VersionConflict("stale", current_version=4))))
    assert (body["status"], body["affected_bookings"]) == (409, 2) and "secret" not in body
    assert (stale["status"], stale["current_version"]) == (412, 4)


def test_a_remote_error_is_mapped_by_the_code_it_carries_not_by_its_class_name(app):
    value = json.dumps({"detail": "gone", "code": "slot_taken", "status": 409,
                        "title": "Slot taken"})
    with app.app_context():
        response = from_exception(RemoteError("RenamedSlotTaken", value))
    assert (response.status_code, _body(response)["code"]) == (409, "slot_taken")


@pytest.mark.parametrize("error", [
    RemoteError("KeyError", "'secret internals'"),
    RemoteError("ValidationFailed", json.dumps({"detail": "secret", "invalid_params": []})),
    RemoteError("LoketError", str(LoketError("secret internals"))),
    RemoteError("Odd", json.dumps({"detail": "secret", "code": "Not A Code", "status": 409,
                                   "title": "x"})),
    RemoteError("Odd", json.dumps({"detail": "secret", "code": "odd", "status": 200,
                                   "title": "x"})),
])
def test_an_upstream_error_the_gateway_does_not_know_is_a_502_that_reveals_nothing(
        app, caplog, error):
    with app.app_context():
        response = from_exception(error)
    body = _body(response)
    assert (response.status_code, body["code"]) == (502, "upstream_error")
    assert "secret" not in json.dumps(body)
    assert error.exc_type in caplog.text and "secret" not in caplog.text


@pytest.mark.parametrize("error, status, code", [
    (RpcTimeout(1), 504, "service_timeout"),
    (UnknownService("permits"), 503, "service_unavailable"),
    (MethodNotFound("get_permit_type"), 502, "service_method_missing"),
    (ConnectionRefusedError(), 503, "service_unavailable"),
    (ZeroDivisionError(), 500, "internal_error"),
])
def test_local_errors(app, error, status, code):
    with app.app_context():
        response = from_exception(error)
    assert (response.status_code, _body(response)["code"]) == (status, code)


def test_an_incomplete_application_names_the_missing_fields(app):
    error = DraftIncomplete("incomplete",
                            invalid_params=[{"name": "address", "reason": "Required."}])
    with app.app_context():
        response = from_exception(remote(error))
    assert response.status_code == 400
    assert _body(response)["code"] == "application_incomplete"
    assert _body(response)["invalid_params"] == [{"name": "address", "reason": "Required."}]



def test_a_gateway_error_renders_from_its_class(app):
    from loket_gateway.core.errors import TrustLevelTooLow

    with app.app_context():
        response = from_exception(TrustLevelTooLow("Needs more.", required_level="high"))
    assert response.status_code == 403
    assert _body(response) == {
        "type": "https://loket.example/problems/trust_level_too_low",
        "title": "Higher trust level needed", "status": 403, "code": "trust_level_too_low",
        "detail": "Needs more.", "required_level": "high"}
