"""Fixtures of the permits tests: a clock at START and a case desk of TENANT."""
import pytest

from loket_common.testing import Clock
from loket_permits.cases import CaseDesk, ensure_case_indexes

from .helpers import START, TENANT, TYPES


@pytest.fixture
def clock():
    return Clock(START)


@pytest.fixture
def desk(database, clock):
    ensure_case_indexes(database)
    return CaseDesk(database, TENANT, TYPES, clock)
