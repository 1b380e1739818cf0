import pytest

from loket_permits.exceptions import TransitionNotAllowed
from loket_permits.type_catalogue import TypeCatalogue
from loket_permits.workflow import NEXT_STEP, allows, check

WORKFLOW = TypeCatalogue.load().get("musterstadt", "residents-parking")["workflow"]


@pytest.mark.parametrize(("from_state", "to_state", "role", "allowed"), [
    ("draft", "submitted", "applicant", True),
    ("draft", "submitted", "case_worker", False),
    ("submitted", "in_review", "case_worker", True),
    ("submitted", "in_review", "tenant_admin", True),
    ("submitted", "in_review", "applicant", False),
    ("in_review", "information_requested", "case_worker", True),
    ("information_requested", "submitted", "applicant", True),
    ("in_review", "approved", "case_worker", True),
    ("submitted", "approved", "case_worker", False),
    ("in_review", "rejected", "applicant", False),
    ("in_review", "withdrawn", "applicant", True),
    ("approved", "withdrawn", "applicant", False),
    ("rejected", "in_review", "case_worker", False),
])
def test_transitions_and_roles(from_state, to_state, role, allowed):
    assert allows(WORKFLOW, from_state, to_state, role) is allowed


def test_check_raises_with_a_stable_code():
    with pytest.raises(TransitionNotAllowed) as error:
        check(WORKFLOW, "approved", "in_review", "case_worker")
    assert error.value.code == "transition_not_allowed"


def test_every_state_has_a_next_step_in_both_languages():
    assert set(NEXT_STEP) == set(WORKFLOW["states"])
    assert all(text["de"] and text["en"] for text in NEXT_STEP.values())
