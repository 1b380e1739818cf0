"""No absolute URL is built from the request (issue 12): a scan of the gateway's syntax.

Every absolute URL comes from :func:`loket_gateway.core.tenants.tenant_url` (the tenant's
configured public URL). The scan finds what would take it from the request instead: any
call with ``_external=`` (Flask's ``url_for`` then uses the ``Host`` header), and the request
attributes that carry the host (``host``, ``host_url``, ``url_root``, ``root_url``,
``base_url``, ``url``). ``core/hosts.py`` reads ``request.host`` once, to check it.
"""
import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "loket_gateway"
MODULES = sorted(PACKAGE.glob("**/*.py"))
HOST_ATTRIBUTES = {"host", "host_url", "url_root", "root_url", "base_url", "url"}
CHECKS_THE_HOST = PACKAGE / "core" / "hosts.py"


def request_host_uses(source: str, host_reads_allowed: bool = False) -> list[str]:
    """``line: code`` for each ``_external=`` keyword and each read of the request's host."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and any(item.arg == "_external" for item in node.keywords):
            found.append(f"{node.lineno}: {ast.unparse(node.func)}(_external=...)")
        if (isinstance(node, ast.Attribute) and node.attr in HOST_ATTRIBUTES
                and isinstance(node.value, ast.Name) and node.value.id == "request"
                and not (host_reads_allowed and node.attr == "host")):
            found.append(f"{node.lineno}: {ast.unparse(node)}")
    return found


def test_the_scan_finds_what_it_looks_for():
    assert request_host_uses("url_for('x', _external=True)\nrequest.host_url\n"
                             "request.host\n") == [
        "1: url_for(_external=...)", "2: request.host_url", "3: request.host"]
    assert request_host_uses("request.host", host_reads_allowed=True) == []


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_no_module_builds_a_url_from_the_request(path):
    assert request_host_uses(path.read_text(), path == CHECKS_THE_HOST) == []
