"""The export: everything the profile service holds about one person, as JSON."""
import json

import pytest

from loket_common.testing import wait_for

from .helpers import ADDRESS, CLAIMS, COMPANY, TENANT, WEBER, new_subject

pytestmark = pytest.mark.integration


def test_export_holds_profile_businesses_consents_access_log_and_requests(profile):
    subject, other = new_subject(), new_subject()
    profile.sign_in(TENANT, subject, CLAIMS)
    profile.sign_in(TENANT, other, {**CLAIMS, "given_name": "Otto"})
    profile.update_profile(TENANT, subject, {"address": ADDRESS})
    business = profile.save_business(TENANT, subject, None, COMPANY)
    profile.save_business(TENANT, other, None, {"company_name": "Ottos Laden"})
    profile.give_consent(TENANT, subject, "appointment_reminders")
    profile.withdraw_consent(TENANT, subject, "appointment_reminders")
    profile.staff_view_profile(TENANT, subject, WEBER, "Rückfrage")

    exported = profile.export_subject(TENANT, subject)
    json.dumps(exported)  # one machine-readable document
    assert exported["service"] == "profile" and exported["subject"] == subject
    assert exported["profile"] == profile.get_profile(TENANT, subject)
    assert exported["profile"]["address"] == ADDRESS
    assert exported["businesses"] == [business]
    reminders = next(c for c in exported["consents"] if c["purpose"] == "appointment_reminders")
    assert [change["action"] for change in reminders["history"]] == ["given", "withdrawn"]
    assert reminders["given"] is False and reminders["title_de"] == "Terminerinnerungen"
    assert [(e["actor_name"], e["purpose"]) for e in exported["access_log"]] == [
        ("Sachbearbeiterin Weber", "Rückfrage")]
    assert exported["erasure_requests"] == []
    assert "Otto" not in json.dumps(exported)  # nobody else's data

    request = profile.request_erasure(TENANT, subject)
    assert profile.export_subject(TENANT, subject)["erasure_requests"][0]["id"] == request["id"]
    # once profile has erased its part, the export holds only the (running) request
    wait_for(lambda: profile.erasure_status(TENANT, subject)["services"]["profile"]["at"])
    exported = profile.export_subject(TENANT, subject)
    assert exported["profile"] is None and exported["businesses"] == []
    assert [r["state"] for r in exported["erasure_requests"]] == ["in_progress"]


def test_export_of_an_unknown_person_is_empty(profile):
    exported = profile.export_subject(TENANT, new_subject())
    assert exported["profile"] is None
    assert exported["businesses"] == [] and exported["access_log"] == []
    assert not any(consent["given"] or consent["history"] for consent in exported["consents"])
