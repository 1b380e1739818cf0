"""Erasure end to end: the request travels as an event, completes with every confirmation."""
from datetime import UTC, datetime

import pytest
from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ServiceRpcProxy

from loket_common.events import Event
from loket_common.testing import database_text, wait_for
from loket_profile.dependencies import ProfileStore

from .helpers import (
    ADDRESS,
    CLAIMS,
    COMPANY,
    PHONE,
    PLAINTEXTS,
    TENANT,
    WEBER,
    new_subject,
    publish,
)

pytestmark = pytest.mark.integration


def person_with_everything(profile, service_config, subject, partner):
    profile.sign_in(TENANT, subject, CLAIMS)
    profile.update_profile(TENANT, subject, {"address": ADDRESS, "phone": PHONE})
    profile.save_business(TENANT, subject, None, COMPANY)  # represented by them alone
    shared = profile.save_business(TENANT, subject, None,
                                   {"company_name": "Partnerei KG", "legal_form": "KG"})
    profile.add_representative(TENANT, subject, shared["id"], partner)
    profile.give_consent(TENANT, subject, "email_status_updates")
    profile.staff_view_profile(TENANT, subject, WEBER, "Rückfrage")
    publish(service_config, "permits", "personal_data_accessed", {
        "subject": subject, "actor": WEBER, "purpose": "Antrag prüfen", "service": "permits",
        "record": "AZ-2026-0042", "at": datetime.now(UTC).isoformat()})
    wait_for(lambda: len(profile.access_log(TENANT, subject)) == 2)
    return shared


def confirmation(request_id, service):
    return {"request_id": request_id, "service": service, "deleted": 3, "anonymised": 1}


def test_erasure_completes_after_every_service_confirmed(profile, service_config, database):
    subject, partner = new_subject(), new_subject()
    profile.sign_in(TENANT, partner, {"given_name": "Max", "family_name": "Partner",
                                      "trust_level": "low"})
    shared = person_with_everything(profile, service_config, subject, partner)
    assert profile.erasure_status(TENANT, subject) is None

    request = profile.request_erasure(TENANT, subject)
    assert request["state"] == "in_progress" and request["completed_at"] is None
    assert set(request["services"]) == {"appointments", "notifications", "permits", "profile"}
    assert profile.request_erasure(TENANT, subject)["id"] == request["id"]  # the running one

    def service_done(name):
        status = profile.erasure_status(TENANT, subject)
        return status if status["services"][name]["state"] == "done" else None

    # profile erases its own part on its own event and confirms itself
    status = wait_for(lambda: service_done("profile"))
    assert status["state"] == "in_progress"
    assert status["services"]["appointments"] == {"state": "pending", "at": None}
    with pytest.raises(RemoteError) as caught:
        profile.get_profile(TENANT, subject)
    assert caught.value.exc_type == "ProfileNotFound"
    assert profile.list_businesses(TENANT, subject) == []
    assert profile.access_log(TENANT, subject) == []
    assert not any(c["given"] for c in profile.list_consents(TENANT, subject))
    with pytest.raises(RemoteError) as caught:  # no sign-in recreates them meanwhile
        profile.sign_in(TENANT, subject, CLAIMS)
    assert caught.value.exc_type == "ErasureInProgress"
    kept = profile.list_businesses(TENANT, partner)
    assert [(b["id"], b["representatives"]) for b in kept] == [(shared["id"], [partner])]

    # appointments confirms (twice: the repeat changes nothing), then permits
    event = publish(service_config, "appointments", "erasure_completed",
                    confirmation(request["id"], "appointments"))
    status = wait_for(lambda: service_done("appointments"))
    assert status["state"] == "in_progress"
    publish(service_config, "appointments", "erasure_completed", event.data, event_id=event.id)
    marker = publish(service_config, "appointments", "erasure_completed",  # unknown: ignored
                     confirmation("no-such-request", "appointments"))
    wait_for(lambda: database["handled_events"].find_one({"_id": {"$regex": marker.id}}))
    assert profile.erasure_status(TENANT, subject) == status

    # another tenant's confirmation of the same request id completes nothing here
    other = publish(service_config, "permits", "erasure_completed",
                    confirmation(request["id"], "permits"), tenant="beispielstadt")
    wait_for(lambda: database["handled_events"].find_one({"_id": {"$regex": other.id}}))
    assert profile.erasure_status(TENANT, subject)["services"]["permits"]["state"] == "pending"
    assert profile.erasure_status("beispielstadt", subject) is None

    publish(service_config, "notifications", "erasure_completed",
            confirmation(request["id"], "notifications"))
    wait_for(lambda: service_done("notifications"))
    publish(service_config, "permits", "erasure_completed",
            confirmation(request["id"], "permits"))
    done = wait_for(lambda: (s := profile.erasure_status(TENANT, subject))["state"]
                    == "completed" and s)
    assert done["id"] == request["id"] and done["completed_at"] >= done["requested_at"]
    assert all(entry["state"] == "done" and entry["at"] for entry in done["services"].values())

    # a staff read reported late (the person is gone) writes nothing back
    late = publish(service_config, "permits", "personal_data_accessed", {
        "subject": subject, "actor": WEBER, "purpose": "Nachzügler", "service": "permits",
        "record": "AZ-2026-0042", "at": datetime.now(UTC).isoformat()})
    wait_for(lambda: database["handled_events"].find_one({"_id": {"$regex": late.id}}))

    # Nothing about the person is readable in the profile database any more (the published
    # erasure_finished, which names the subject, left the outbox too).
    wait_for(lambda: database["outbox"].count_documents({"published_at": None}) == 0)
    wait_for(lambda: database["outbox"].count_documents(
        {"message.type": "erasure_finished"}) == 0 and database["handled_events"].find_one(
        {"_id": {"$regex": "forget_finished_erasure"}}))
    raw = database_text(database)
    assert subject not in raw
    for plaintext in PLAINTEXTS:
        assert plaintext.lower() not in raw.lower(), plaintext
    stored = database["erasure_requests"].find_one({"id": request["id"]})
    assert stored["state"] == "completed" and "subject" not in stored
    # the profile's own confirmation went out without any personal data
    confirmations = [entry["message"] for entry in database["outbox"].find(
        {"message.type": "erasure_completed"})]
    assert [(m["data"]["service"], m["data"]["deleted"], m["data"]["anonymised"])
            for m in confirmations] == [("profile", {"profiles": 1, "consents": 1,
                                                     "access_log": 2, "businesses": 1},
                                         {"businesses": 1})]
    # signing in again afterwards starts afresh
    assert profile.sign_in(TENANT, subject, CLAIMS)["version"] == 1


def test_erasure_services_are_configurable(start_profile, service_config):
    start_profile(ERASURE_SERVICES="profile")
    subject = new_subject()
    with ServiceRpcProxy("profile", service_config) as profile:
        profile.sign_in(TENANT, subject, CLAIMS)
        request = profile.request_erasure(TENANT, subject)
        assert list(request["services"]) == ["profile"]
        done = wait_for(lambda: (s := profile.erasure_status(TENANT, subject))["state"]
                        == "completed" and s)
        # once completed, a new request may start (e.g. after signing in again)
        assert profile.request_erasure(TENANT, subject)["id"] != done["id"]


def test_the_same_erasure_event_twice_erases_and_confirms_once(database):
    store = ProfileStore(database)
    store.ensure_indexes()
    subject = new_subject()
    store.profiles.sign_in(TENANT, subject, CLAIMS)
    request = store.erasures.request(TENANT, subject, ["profile"])
    event = Event(source="profile", type="erasure_requested", tenant=TENANT,
                  data={"request_id": request["id"], "subject": subject})
    assert store.erasures.erase(event, [store.erase_subject]) is True
    assert store.erasures.erase(event, [store.erase_subject]) is False
    assert database["outbox"].count_documents({"message.type": "erasure_completed"}) == 1
    assert not store.profiles.exists(TENANT, subject)


def test_parallel_requests_make_one(database):
    import eventlet

    store = ProfileStore(database)
    store.ensure_indexes()
    subject = new_subject()
    threads = [eventlet.spawn(store.erasures.request, TENANT, subject, ["profile"])
               for _ in range(5)]
    assert len({thread.wait()["id"] for thread in threads}) == 1
    assert database["erasure_requests"].count_documents({}) == 1
    assert database["outbox"].count_documents({"message.type": "erasure_requested"}) == 1
