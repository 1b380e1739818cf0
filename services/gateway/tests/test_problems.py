import json

import pytest
from nameko.exceptions import MethodNotFound, RemoteError, RpcTimeout, UnknownService

from loket_gateway.core.problems import ERROR_TABLE, from_exception


@pytest.mark.parametrize("exc_type, status, code", [
    ("ValidationFailed", 400, "validation_failed"),
    ("UnknownTenant", 404, "unknown_tenant"),
    ("NotFound", 404, "not_found"),
    ("NotAuthenticated", 401, "not_authenticated"),
    ("Conflict", 409, "conflict"),
    ("MethodNotFound", 502, "service_method_missing"),
    ("UnknownService", 503, "service_unavailable"),
    ("SlotTaken", 409, "slot_taken"),
    ("HoldExpired", 409, "hold_expired"),
    ("BookingLimitReached", 409, "booking_limit_reached"),
    ("NotBookable", 409, "not_allowed_in_state"),
    ("LotteryNotOpen", 409, "lottery_not_open"),
    ("AlreadyEntered", 409, "lottery_already_entered"),
    ("TooManyHolds", 429, "too_many_holds"),
    ("ChallengeReused", 403, "proof_of_work_reused"),
    ("ProofOfWorkFailed", 403, "proof_of_work_failed"),
    ("VersionConflict", 412, "version_conflict"),
    ("BookingsAffected", 409, "bookings_affected"),
    ("TransitionNotAllowed", 409, "transition_not_allowed"),
    ("DraftIncomplete", 400, "application_incomplete"),
    ("AttachmentRejected", 400, "attachment_rejected"),
    ("ProfileNotFound", 404, "profile_not_found"),
    ("BusinessNotFound", 404, "business_not_found"),
    ("ErasureInProgress", 409, "erasure_in_progress"),
])
def test_error_table(exc_type, status, code):
    assert ERROR_TABLE[exc_type][:2] == (status, code)


def test_every_mapped_error_is_tested():
    # A new row in the table must get a row in test_error_table.
    assert len(ERROR_TABLE) == 24


def test_codes_match_the_services_errors():
    from loket_appointments import exceptions

    for name in ("SlotTaken", "HoldExpired", "BookingLimitReached", "NotBookable",
                 "TooManyHolds", "ChallengeReused", "LotteryNotOpen", "AlreadyEntered",
                 "VersionConflict", "BookingsAffected"):
        assert ERROR_TABLE[name][1] == getattr(exceptions, name).code


def _body(response):
    assert response.mimetype == "application/problem+json"
    return json.loads(response.get_data())


def test_remote_validation_error_keeps_invalid_params(app):
    value = json.dumps({"detail": "bad", "invalid_params": [{"name": "email", "reason": "x"}]})
    with app.app_context():
        response = from_exception(RemoteError("ValidationFailed", value))
    body = _body(response)
    assert response.status_code == 400
    assert body["code"] == "validation_failed"
    assert body["invalid_params"] == [{"name": "email", "reason": "x"}]
    assert body["type"].endswith("/validation_failed")


def test_remote_conflicts_say_how_many_bookings_and_which_version(app):
    value = json.dumps({"detail": "2 bookings", "affected_bookings": 2, "secret": "no"})
    with app.app_context():
        body = _body(from_exception(RemoteError("BookingsAffected", value)))
        stale = _body(from_exception(RemoteError("VersionConflict", json.dumps(
            {"detail": "stale", "current_version": 4}))))
    assert (body["status"], body["affected_bookings"]) == (409, 2) and "secret" not in body
    assert (stale["status"], stale["current_version"]) == (412, 4)


def test_unmapped_remote_error_reveals_nothing(app):
    with app.app_context():
        response = from_exception(RemoteError("KeyError", "'secret internals'"))
    body = _body(response)
    assert response.status_code == 500
    assert "secret" not in json.dumps(body)


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
    value = json.dumps({"detail": "incomplete",
                        "invalid_params": [{"name": "address", "reason": "Required."}]})
    with app.app_context():
        response = from_exception(RemoteError("DraftIncomplete", value))
    assert response.status_code == 400
    assert _body(response)["code"] == "application_incomplete"
    assert _body(response)["invalid_params"] == [{"name": "address", "reason": "Required."}]


def test_codes_match_the_permits_errors():
    from loket_permits import exceptions

    for name in ("TransitionNotAllowed", "DraftIncomplete", "AttachmentRejected"):
        assert ERROR_TABLE[name][1] == getattr(exceptions, name).code
