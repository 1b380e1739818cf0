"""The security tests' own system: what they leave behind (an erased Anna, her many
bookings and lottery entries, a case worker's downloads in her access log, a draw) must not
change what the other end-to-end tests find on theirs."""
import pytest

from ..conftest import started_system


@pytest.fixture(scope="package")
def system():
    """The system as ``make run`` starts it, for the tests of this folder only."""
    with started_system() as running:
        yield running
