"""The committed docs/openapi.json is exactly what the routes declare (CI fails on drift)."""
from loket_gateway.core.openapi_document import COMMITTED, generated


def test_the_committed_document_is_what_the_code_generates():
    assert COMMITTED.exists(), "run `make openapi` and commit docs/openapi.json"
    assert COMMITTED.read_text() == generated(), (
        "the API contract changed: run `make openapi` and commit docs/openapi.json")
