"""Person profiles: sign-in creates, later sign-ins keep the resident's edits, validation."""
import pytest
from nameko.exceptions import RemoteError
from nameko.testing.services import worker_factory

from loket_common.errors import ValidationFailed
from loket_common.testing import wait_for
from loket_profile.service import ProfileService

from .helpers import ADDRESS, CLAIMS, PHONE, TENANT, new_subject


def invalid_names(error) -> set[str]:
    return {param["name"] for param in error.extra["invalid_params"]}


def test_update_validation_names_every_bad_field_before_the_store():
    service = worker_factory(ProfileService)
    with pytest.raises(ValidationFailed) as caught:
        service.update_profile(TENANT, new_subject(), {
            "given_name": "", "email": "not-an-email", "preferred_language": "fr",
            "notification_channel": "pigeon", "phone": "call me",
            "address": {"street": "Hauptstraße"}, "favourite_colour": "blue"})
    assert invalid_names(caught.value) == {
        "given_name", "email", "preferred_language", "notification_channel", "phone",
        "address.house_number", "address.postal_code", "address.city", "favourite_colour"}
    service.store.profiles.update.assert_not_called()


@pytest.mark.parametrize("subject", ["erika", "r-123", "R-" + "a" * 32, None, "r-" + "g" * 32])
def test_only_pseudonymous_subjects_are_accepted(subject):
    service = worker_factory(ProfileService)
    with pytest.raises(ValidationFailed) as caught:
        service.get_profile(TENANT, subject)
    assert invalid_names(caught.value) == {"subject"}


def test_sign_in_needs_a_known_trust_level():
    service = worker_factory(ProfileService)
    with pytest.raises(ValidationFailed) as caught:
        service.sign_in(TENANT, new_subject(), {**CLAIMS, "trust_level": "very"})
    assert invalid_names(caught.value) == {"trust_level"}


def test_profile_fields_say_why_in_both_languages():
    fields = worker_factory(ProfileService).profile_fields()
    assert [field["name"] for field in fields] == [
        "given_name", "family_name", "address", "email", "phone", "preferred_language",
        "notification_channel"]
    assert {field["name"] for field in fields if field["required"]} == {"given_name",
                                                                        "family_name"}
    address = next(field for field in fields if field["name"] == "address")
    assert [(part["name"], part["required"]) for part in address["fields"]] == [
        ("street", True), ("house_number", True), ("postal_code", True), ("city", True),
        ("country", False)]
    for field in fields + address["fields"]:
        assert field["why_de"] and field["why_en"] and field["why_de"] != field["why_en"]


@pytest.mark.integration
def test_first_sign_in_creates_the_profile_and_announces_it(profile, database):
    subject = new_subject()
    created = profile.sign_in(TENANT, subject, {**CLAIMS, "acr": "ignored-claim"})
    assert created["subject"] == subject
    assert (created["given_name"], created["family_name"]) == ("Erika", "Mustermann")
    assert created["email"] == CLAIMS["email"]
    assert created["trust_level"] == "substantial"
    assert created["preferred_language"] == "de" and created["notification_channel"] == "email"
    assert created["last_sign_in_at"] and created["version"] == 1
    assert profile.get_profile(TENANT, subject) == created
    # profile_created is published for appointments, without any name
    outbox = wait_for(lambda: list(database["outbox"].find({"published_at": {"$ne": None}})))
    assert [entry["message"]["type"] for entry in outbox] == ["profile_created"]
    assert outbox[0]["message"]["data"] == {"subject": subject, "preferred_language": "de"}


@pytest.mark.integration
def test_later_sign_ins_keep_what_the_resident_edited(profile, database):
    subject = new_subject()
    profile.sign_in(TENANT, subject, CLAIMS)
    edited = profile.update_profile(TENANT, subject, {
        "given_name": "Eri", "address": ADDRESS, "phone": PHONE, "notification_channel": "post"})
    assert edited["given_name"] == "Eri" and edited["address"] == ADDRESS
    assert edited["family_name"] == "Mustermann" and edited["version"] == 2  # partial update

    again = profile.sign_in(TENANT, subject, {
        "given_name": "Erika", "family_name": "Musterfrau", "email": "neu@example.org",
        "trust_level": "high"})
    assert again["given_name"] == "Eri"  # edited: kept
    assert again["family_name"] == "Musterfrau"  # not edited: follows the identity
    assert again["email"] == "neu@example.org"
    assert again["trust_level"] == "high"
    assert again["address"] == ADDRESS and again["phone"] == PHONE
    assert again["notification_channel"] == "post"
    assert again["last_sign_in_at"] > edited["last_sign_in_at"]
    assert database["outbox"].count_documents({"message.type": "profile_created"}) == 1


@pytest.mark.integration
def test_optional_fields_can_be_cleared(profile):
    subject = new_subject()
    profile.sign_in(TENANT, subject, CLAIMS)
    profile.update_profile(TENANT, subject, {"address": ADDRESS, "phone": PHONE})
    cleared = profile.update_profile(TENANT, subject, {"address": None, "phone": None,
                                                       "email": None})
    assert (cleared["address"], cleared["phone"], cleared["email"]) == (None, None, None)
    # a cleared email is an edit too: the next sign-in does not bring it back
    assert profile.sign_in(TENANT, subject, CLAIMS)["email"] is None


@pytest.mark.integration
def test_unknown_profiles_and_other_tenants_are_not_found(profile):
    subject = new_subject()
    profile.sign_in(TENANT, subject, CLAIMS)
    for call in (lambda: profile.get_profile("beispielstadt", subject),
                 lambda: profile.get_profile(TENANT, new_subject()),
                 lambda: profile.update_profile(TENANT, new_subject(), {"phone": PHONE})):
        with pytest.raises(RemoteError) as caught:
            call()
        assert caught.value.exc_type == "ProfileNotFound"


@pytest.mark.integration
def test_parallel_first_sign_ins_make_one_profile(database):
    import eventlet

    from loket_profile.dependencies import ProfileStore

    store = ProfileStore(database)
    store.ensure_indexes()
    subject = new_subject()
    threads = [eventlet.spawn(store.profiles.sign_in, TENANT, subject, CLAIMS)
               for _ in range(5)]
    assert {thread.wait()["subject"] for thread in threads} == {subject}
    assert database["profiles"].count_documents({}) == 1
    assert database["outbox"].count_documents({"message.type": "profile_created"}) == 1
