"""Every answer an API operation gives is one /openapi.json lists for it (no broker here).

Each operation is called as a client without credentials would call it, with no body and
with an empty one, and for an unknown municipality: whatever the gateway answers (400, 401,
404, 503, ...) must be a status the document declares for that operation, and never a 500.
"""
import re

import pytest

from loket_gateway.app import create_app

from .conftest import test_settings as gateway_settings

METHODS = {"get", "post", "put", "patch", "delete"}
SPEC = create_app(gateway_settings()).test_client().get("/openapi.json").get_json()
OPERATIONS = sorted((method, path) for path, item in SPEC["paths"].items()
                    for method in item if method in METHODS)


def url(path: str, tenant: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda match: tenant if match[1] == "tenant" else "probe-1",
                  path)


@pytest.mark.parametrize("operation", OPERATIONS, ids=" ".join)
def test_each_answer_is_a_documented_status(client, operation):
    method, path = operation
    documented = set(SPEC["paths"][path][method]["responses"])
    for tenant in ("musterstadt", "nowhere"):
        for body in ({"data": b""}, {"json": {}}):
            response = client.open(url(path, tenant), method=method.upper(), **body)
            assert response.status_code != 500, response.get_data(as_text=True)[:300]
            assert str(response.status_code) in documented, (
                f"{method.upper()} {path} answered {response.status_code}, "
                f"documented: {sorted(documented)}")
