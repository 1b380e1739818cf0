"""Input that gave 500 (issue 12): deep or broken JSON, odd file names, what gunicorn refuses.

The API answers 400 problem+json before any RPC; downloads name the file as RFC 6266 says;
gunicorn's own refusals are the gateway's problem+json with its security headers.
"""
import base64
import json
import socket
from urllib.parse import unquote

import pytest
from gunicorn.config import Config
from gunicorn.glogging import Logger
from gunicorn.http.errors import InvalidRequestLine, LimitRequestHeaders, LimitRequestLine

from loket_gateway.core.gunicorn_worker import ProblemWorker
from loket_gateway.core.json_input import MAX_DEPTH, strict_loads
from loket_gateway.core.security import HEADERS

from .answers import PNG

API = "/api/v1/tenants/musterstadt"

NESTED = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
MALFORMED = {"deep": "[" * 1000 + "]" * 1000, "one too deep": NESTED,
             "lone surrogate": '"\\ud800"', "lone low surrogate key": '{"\\udc00": 1}',
             "surrogate bytes": b'"\xed\xa0\x80"'}


@pytest.fixture
def auth(tokens):
    """Authorization headers of a resident and of a case worker."""
    return {"resident": tokens.bearer(tokens.resident()),
            "case": tokens.bearer(tokens.staff("musterstadt:case_worker", sub="demo-case"))}


@pytest.mark.parametrize("text", MALFORMED.values(), ids=MALFORMED.keys())
def test_too_deep_or_lone_surrogates_are_malformed_json(text):
    with pytest.raises(ValueError) as refused:
        strict_loads(text)
    assert getattr(refused.value, "code", None) == "malformed_json"


def test_json_within_the_limits_and_real_emoji_are_read():
    depth = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert strict_loads(depth) == json.loads(depth)
    assert strict_loads('{"name": "\\ud83d\\ude00 Müller"}') == {"name": "😀 Müller"}
    with pytest.raises(json.JSONDecodeError):
        strict_loads("{broken")


BODIES = {name: (text if isinstance(text, bytes) else text.encode())
          for name, text in MALFORMED.items()}
BODIES["deep inside an object"] = b'{"type_id": "t", "data": {"x": ' + NESTED.encode() + b"}}"


@pytest.mark.parametrize("body", BODIES.values(), ids=BODIES.keys())
@pytest.mark.parametrize("method, path, who", [
    ("POST", "/applications", "resident"), ("POST", "/holds", None),
    ("POST", "/cases/a1/transitions", "case")])
def test_api_bodies_are_400_malformed_json_before_any_rpc(client, auth, services, body,
                                                         method, path, who):
    headers = {"Content-Type": "application/json", **(auth[who] if who else {})}
    response = client.open(API + path, method=method, data=body, headers=headers)
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["code"] == "malformed_json"
    assert services.mock_calls == []


@pytest.mark.parametrize("payload", ['{"iss": ' + MALFORMED["deep"] + "}", '{"iss": "\\ud800"}'])
def test_a_token_whose_claims_are_such_json_is_401(client, services, payload):
    claims = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")
    response = client.get(API + "/applications",
                          headers={"Authorization": f"Bearer eyJhbGciOiJSUzI1NiJ9.{claims}.c2ln"})
    assert response.status_code == 401
    assert response.get_json()["code"] == "not_authenticated"


def saved_as(disposition: str) -> tuple[str, str]:
    """(the ASCII ``filename``, the name ``filename*`` gives, or the same)."""
    fallback = disposition.split('filename="', 1)[1].split('"', 1)[0] \
        if 'filename="' in disposition else disposition.split("filename=", 1)[1].split(";")[0]
    if "filename*=UTF-8''" not in disposition:
        return fallback, fallback
    return fallback, unquote(disposition.split("filename*=UTF-8''", 1)[1].split(";")[0])


@pytest.mark.parametrize("stored, name", [
    ("Antrag – Kopie.png", "Antrag – Kopie.png"), ("Ärger.png", "Ärger.png"),
    ("Заявление.png", "Заявление.png"), ("📄.png", "📄.png"),
    ("plan.png", "plan.png"),
    # stored before uploads were cleaned: cleaned on the way out
    ("rechnung\u202egnp.exe", "rechnunggnp.exe"), ("a\x00b\r\n.png", "ab.png"),
    ("\u202e\x00", "document"),
])
@pytest.mark.parametrize("path", ["/applications/a1/attachments/t1",
                                  "/cases/a1/attachments/t1"])
def test_downloads_name_the_file_in_utf8_with_an_ascii_fallback(client, auth, services,
                                                               stored, name, path):
    services.permits.get_attachment.return_value = {
        "filename": stored, "content_type": "image/png",
        "content_base64": base64.b64encode(PNG).decode()}
    response = client.get(API + path, headers=auth["resident" if "applications" in path
                                                   else "case"])
    assert response.status_code == 200
    assert response.get_data() == PNG
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    disposition.encode("ascii")  # what a server can send: no raw UTF-8, no control character
    assert all(32 <= ord(char) < 127 for char in disposition)
    fallback, saved = saved_as(disposition)
    assert saved == name
    assert fallback and all(32 <= ord(char) < 127 for char in fallback)
    assert {"no-store", "private"} <= set(response.headers["Cache-Control"].split(", "))
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def refused_with(error: Exception) -> tuple[int, dict[str, str], dict]:
    """What :class:`ProblemWorker` answers a client when gunicorn refuses with ``error``."""
    worker = ProblemWorker.__new__(ProblemWorker)  # only its handle_error is used
    worker.cfg, worker.log = Config(), Logger(Config())
    ours, theirs = socket.socketpair()
    with ours, theirs:
        worker.handle_error(None, ours, ("127.0.0.1", 40000), error)
        ours.shutdown(socket.SHUT_WR)
        raw = b""
        while chunk := theirs.recv(65536):
            raw += chunk
    head, body = raw.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    assert int(headers["Content-Length"]) == len(body)
    return int(lines[0].split(" ")[1]), headers, json.loads(body)


@pytest.mark.parametrize("error, status, code", [
    (LimitRequestLine(8000, 4094), 414, "request_line_too_long"),
    (LimitRequestHeaders("limit request headers fields size"), 431,
     "request_headers_too_large"),
    (InvalidRequestLine("GET /secret?token=abc"), 400, "malformed_request"),
    (RuntimeError("the app's bug"), 500, "internal_error"),
])
def test_gunicorns_refusals_are_problem_json_with_the_security_headers(error, status, code):
    answered, headers, body = refused_with(error)
    assert answered == status
    assert headers["Content-Type"] == "application/problem+json"
    assert body["status"] == status and body["code"] == code and body["title"]
    assert "secret" not in json.dumps(body)  # the request is never echoed
    assert {name: headers.get(name) for name in HEADERS} == HEADERS
    assert len(headers["X-Request-ID"]) == 32
