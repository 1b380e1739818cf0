"""The access log: staff reads here and in other services, shown newest first, once each."""
from datetime import UTC, datetime, timedelta

import pytest
from nameko.exceptions import RemoteError

from loket_common.testing import wait_for

from .helpers import CLAIMS, TENANT, WEBER, new_subject, publish

pytestmark = pytest.mark.integration


def access(subject, service, record, at, **changes):
    return {"subject": subject, "actor": WEBER, "purpose": "Antrag prüfen",
            "service": service, "record": record, "at": at.isoformat(), **changes}


def test_staff_reads_are_logged_and_shown_to_the_resident(profile, service_config, database):
    subject = new_subject()
    profile.sign_in(TENANT, subject, CLAIMS)
    earlier = datetime.now(UTC) - timedelta(hours=2)
    event = publish(service_config, "permits", "personal_data_accessed",
                    access(subject, "permits", "AZ-2026-0042", earlier))
    publish(service_config, "appointments", "personal_data_accessed",
            access(subject, "appointments", "T-7F3K", earlier - timedelta(hours=1),
                   actor={"subject": "staff:berg", "name": None, "role": "counter_staff"},
                   purpose="Check-in"))  # a name the reporting service did not know
    wait_for(lambda: len(profile.access_log(TENANT, subject)) == 2)

    viewed = profile.staff_view_profile(TENANT, subject, WEBER, "Rückfrage zum Antrag")
    assert viewed["given_name"] == "Erika"

    log = profile.access_log(TENANT, subject)
    assert [(e["service"], e["record"], e["actor_name"], e["actor_role"]) for e in log] == [
        ("profile", "profile", "Sachbearbeiterin Weber", "case_worker"),
        ("permits", "AZ-2026-0042", "Sachbearbeiterin Weber", "case_worker"),
        ("appointments", "T-7F3K", None, "counter_staff")]
    assert log[0]["purpose"] == "Rückfrage zum Antrag" and log[2]["purpose"] == "Check-in"
    assert datetime.fromisoformat(log[1]["at"]) == earlier.replace(
        microsecond=earlier.microsecond // 1000 * 1000)
    assert profile.access_log(TENANT, new_subject()) == []
    assert profile.access_log("beispielstadt", subject) == []

    # the same event delivered again is logged once
    publish(service_config, "permits", "personal_data_accessed", event.data, event_id=event.id)
    wait_for(lambda: database["handled_events"].count_documents({}) == 2)  # first two handled
    # a later event on the same queue: once it is handled, the repeat was consumed before it
    marker = publish(service_config, "permits", "personal_data_accessed",
                     access(new_subject(), "permits", "AZ-1", earlier))
    wait_for(lambda: database["handled_events"].find_one({"_id": {"$regex": marker.id}}))
    assert len(profile.access_log(TENANT, subject)) == 3


def test_staff_view_needs_an_actor_and_a_purpose(profile):
    subject = new_subject()
    profile.sign_in(TENANT, subject, CLAIMS)
    with pytest.raises(RemoteError) as caught:
        profile.staff_view_profile(TENANT, subject, {"subject": "erika", "name": ""}, "")
    assert caught.value.exc_type == "ValidationFailed"
    for name in ("actor.subject", "actor.name", "actor.role", "purpose"):
        assert f'"{name}"' in caught.value.value
    with pytest.raises(RemoteError) as caught:  # nobody to read: nothing logged
        profile.staff_view_profile(TENANT, new_subject(), WEBER, "Rückfrage")
    assert caught.value.exc_type == "ProfileNotFound"
    assert profile.access_log(TENANT, subject) == []


def test_an_invalid_report_is_parked_not_logged(profile, service_config, database):
    from kombu import Connection

    subject = new_subject()
    profile.sign_in(TENANT, subject, CLAIMS)
    publish(service_config, "permits", "personal_data_accessed",  # no actor, no time
            {"subject": subject, "purpose": "?", "service": "permits"})
    dead = "evt-permits-personal_data_accessed--profile.record_permits_access.dead"

    def parked():
        with Connection(service_config["AMQP_URI"]) as connection:
            return connection.default_channel.queue_declare(dead, passive=True)[1]

    assert wait_for(parked) == 1
    assert profile.access_log(TENANT, subject) == []
