"""Business profiles only for their representatives; consents with their history."""
import json

import pytest
from nameko.exceptions import RemoteError

from .helpers import CLAIMS, COMPANY, TENANT, new_subject

pytestmark = pytest.mark.integration


def remote_error(call) -> RemoteError:
    with pytest.raises(RemoteError) as caught:
        call()
    return caught.value


def test_the_creator_represents_the_business_and_only_representatives_see_it(profile):
    owner, partner, stranger = new_subject(), new_subject(), new_subject()
    profile.sign_in(TENANT, owner, CLAIMS)
    business = profile.save_business(TENANT, owner, None, COMPANY)
    assert business["representatives"] == [owner]
    assert business["company_name"] == COMPANY["company_name"]
    assert business["address"]["country"] == "DE" and business["version"] == 1

    for call in (lambda: profile.save_business(TENANT, stranger, business["id"], COMPANY),
                 lambda: profile.add_representative(TENANT, stranger, business["id"], stranger),
                 lambda: profile.save_business("beispielstadt", owner, business["id"], COMPANY)):
        assert remote_error(call).exc_type == "BusinessNotFound"
    assert profile.list_businesses(TENANT, stranger) == []

    shared = profile.add_representative(TENANT, owner, business["id"], partner)
    assert shared["representatives"] == [owner, partner]
    assert profile.add_representative(TENANT, owner, business["id"], partner)[
        "representatives"] == [owner, partner]  # adding twice changes nothing
    renamed = profile.save_business(TENANT, partner, business["id"],
                                    {**COMPANY, "company_name": "Mustermann & Partner GmbH"})
    assert renamed["company_name"] == "Mustermann & Partner GmbH"
    assert [b["company_name"] for b in profile.list_businesses(TENANT, owner)] == [
        "Mustermann & Partner GmbH"]


def test_business_input_is_validated(profile):
    owner = new_subject()
    error = remote_error(lambda: profile.save_business(TENANT, owner, None, {
        "legal_form": "GmbH", "email": "nope", "register_number": "HRB <script>"}))
    assert error.exc_type == "ValidationFailed"
    assert {p["name"] for p in json.loads(error.value)["invalid_params"]} == {
        "company_name", "email", "register_number"}
    error = remote_error(lambda: profile.add_representative(TENANT, owner, "x", "someone"))
    assert error.exc_type == "ValidationFailed" and "representative_subject" in error.value


def test_consents_are_given_and_withdrawn_with_their_history(profile, database):
    subject = new_subject()
    listed = profile.list_consents(TENANT, subject)
    assert [c["purpose"] for c in listed] == [
        "email_status_updates", "appointment_reminders", "satisfaction_survey"]
    for consent in listed:
        assert consent["given"] is False and consent["given_at"] is None
        assert consent["title_de"] != consent["title_en"] and consent["text_de"]

    given = profile.give_consent(TENANT, subject, "appointment_reminders")
    assert given["given"] is True and given["given_at"] and given["withdrawn_at"] is None
    assert profile.give_consent(TENANT, subject, "appointment_reminders")["given_at"] == \
        given["given_at"]  # giving again is no new consent
    withdrawn = profile.withdraw_consent(TENANT, subject, "appointment_reminders")
    assert withdrawn["given"] is False and withdrawn["withdrawn_at"] >= given["given_at"]
    again = profile.give_consent(TENANT, subject, "appointment_reminders")
    assert again["given"] is True and again["withdrawn_at"] is None

    state = {c["purpose"]: c["given"] for c in profile.list_consents(TENANT, subject)}
    assert state == {"email_status_updates": False, "appointment_reminders": True,
                     "satisfaction_survey": False}
    stored = database["consents"].find_one({"subject": subject})
    assert [change["action"] for change in stored["history"]] == ["given", "withdrawn", "given"]
    assert profile.list_consents(TENANT, new_subject())[1]["given"] is False  # per person
    assert profile.list_consents("beispielstadt", subject)[1]["given"] is False  # per tenant


def test_an_unknown_purpose_is_a_validation_error(profile):
    error = remote_error(lambda: profile.give_consent(TENANT, new_subject(), "advertising"))
    assert error.exc_type == "ValidationFailed" and '"purpose"' in error.value
