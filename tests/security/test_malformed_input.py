"""Input that gave 500 (issue 12): odd file names, deep or broken JSON, over-long requests.

Each gets a clear answer over real HTTP from the whole system: problem+json 4xx for the API,
a localized page for the pages, both with the gateway's security headers; never a 500.
"""
import base64
import http.client
import json
import re
import socket
import uuid
from urllib.parse import unquote

import pytest
import requests

from loket_gateway.core.security import HEADERS
from tests.booking_client import address, api
from tests.forms import hidden_fields
from tests.test_permit_applications import TYPE, png, resident, staff, value_for
from tests.test_sign_in import choose, provider_page

pytestmark = pytest.mark.e2e

CLIENT = address(41001)
# What a resident may name a file, and the name the system keeps (shown and downloaded).
NAMES = {
    "Antrag – Kopie.png": "Antrag – Kopie.png",
    "Änderung für Müller, Größe ß.png": "Änderung für Müller, Größe ß.png",
    "Заявление.png": "Заявление.png",
    "Scan 📄👨‍👩‍👧.png": "Scan 📄👨‍👩‍👧.png",
    "rechnung\u202egnp.exe": "rechnunggnp.exe",  # the RTL override would show "exe.png"
    "scan\x00\x07.png\t": "scan.png",  # control characters go
    "../../etc/passwd.png": ".._.._etc_passwd.png",  # no path in a name
    "A\u0308rger.png": "Ärger.png",  # decomposed (as macOS sends it) becomes one letter
}
PROBLEM = "application/problem+json"


def assert_secured(response) -> None:
    """The gateway's security headers, as on every other answer (pages' forms may also post
    to the identity provider)."""
    for name, value in HEADERS.items():
        sent = response.headers.get(name, "")
        if name == "Content-Security-Policy":
            sent = re.sub(r"form-action 'self'[^;]*", "form-action 'self'", sent)
        assert sent == value, (name, response.headers)


def assert_problem(response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == PROBLEM
    assert response.json()["code"] == code
    assert response.json()["status"] == status
    assert_secured(response)


def multipart(fields: dict[str, str], filename: str, content: bytes) -> tuple[bytes, str]:
    """A multipart body with the file name as raw UTF-8 (control characters included)."""
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
             f"{value}\r\n".encode() for name, value in fields.items()]
    quoted = filename.replace('"', "%22")
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                 f'filename="{quoted}"\r\nContent-Type: image/png\r\n\r\n'.encode()
                 + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), \
        f"multipart/form-data; boundary={boundary}"


def downloaded_name(response) -> str:
    """The file name a browser saves a download as (RFC 6266: ``filename*`` first)."""
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    fallback = re.search(r'filename="((?:[^"\\]|\\.)*)"|filename=([^;\s]+)', disposition)
    assert fallback, disposition
    assert all(32 <= ord(char) < 127 for char in fallback.group(0)), disposition
    extended = re.search(r"filename\*=UTF-8''([^;\s]+)", disposition)
    return unquote(extended.group(1)) if extended else (fallback.group(1) or fallback.group(2))


def assert_download(response, name: str) -> None:
    assert response.status_code == 200, response.text
    assert response.content == png()
    assert response.headers["Content-Type"] == "image/png"
    assert downloaded_name(response) == name
    assert_secured(response)


def signed_in(system, path: str, user: str, level: str | None = None) -> requests.Session:
    """A browser-like session signed in through the development provider."""
    session = requests.Session()
    session.headers["X-Forwarded-For"] = CLIENT
    choose(session, provider_page(session, system, path), user, level)
    return session


@pytest.fixture(scope="module")
def application(system):
    """Anna's submitted application with one attachment per name uploaded by the API and one
    by the page: {"id", "uploaded": [(sent, kept name)], "shown": the pages after each
    upload, "attachments": [(kept, id)]}."""
    me = resident(system, "anna")
    permit_type = api(system, "GET", f"/permit-types/{TYPE}").json()
    data = {field["name"]: value_for(field) for field in permit_type["fields"]
            if field["required"]}
    created = api(system, "POST", "/applications", client=CLIENT, headers=me,
                  json={"type_id": TYPE, "data": data})
    assert created.status_code == 201, created.text
    application_id = created.json()["id"]
    document = permit_type["documents"][0]["id"]
    uploaded, shown = [], []
    for sent in NAMES:
        body, kind = multipart({"document_id": document}, sent, png())
        answer = api(system, "POST", f"/applications/{application_id}/attachments",
                     client=CLIENT, headers={**me, "Content-Type": kind}, data=body)
        assert answer.status_code == 201, (sent, answer.text)
        uploaded.append((sent, answer.json()["filename"]))

    pages = signed_in(system, "/de/sign-in?next=/de/permits/applications/", "anna")
    status_page = f"{system.url}/de/permits/applications/{application_id}"
    for sent in NAMES:
        token = re.search(r'name="csrf_token" value="([^"]+)"',
                          pages.get(status_page, timeout=30).text).group(1)
        body, kind = multipart({"document_id": document, "csrf_token": token}, sent, png())
        answer = pages.post(status_page + "/attachments", data=body, timeout=30,
                            headers={"Content-Type": kind})
        assert answer.status_code == 200, (sent, answer.status_code)
        shown.append(answer.text)
    listed = api(system, "GET", f"/applications/{application_id}", headers=me).json()
    submitted = api(system, "POST", f"/applications/{application_id}/submission",
                    client=CLIENT, headers=me)
    assert submitted.status_code == 200, submitted.text
    return {"id": application_id, "uploaded": uploaded, "shown": shown,
            "attachments": [(item["filename"], item["id"]) for item in listed["attachments"]]}


def test_uploads_keep_a_safe_visible_name(application):
    assert application["uploaded"] == list(NAMES.items())
    assert not any("\u202e" in page for page in application["shown"])
    # the page's uploads keep the same names
    assert sorted(name for name, _ in application["attachments"]) == \
        sorted(list(NAMES.values()) * 2)


def test_the_resident_downloads_every_name_by_the_api(system, application):
    me = resident(system, "anna")
    for name, attachment_id in application["attachments"]:
        assert_download(api(system, "GET", f"/applications/{application['id']}/attachments/"
                            f"{attachment_id}", headers=me), name)


def test_the_case_worker_downloads_every_name_by_the_api(system, application):
    for name, attachment_id in application["attachments"]:
        assert_download(api(system, "GET", f"/cases/{application['id']}/attachments/"
                            f"{attachment_id}", headers=staff(system)), name)


@pytest.mark.parametrize("sign_in, user, shown", [
    ("/de/sign-in?next=/de/permits/applications/", "anna", "/de/permits/applications/{}"),
    ("/en/staff/", "david", "/en/staff/cases/{}")], ids=["resident", "case worker"])
def test_every_name_is_shown_and_downloaded_on_the_pages(system, application, sign_in, user,
                                                         shown):
    pages = signed_in(system, sign_in, user)
    page = system.url + shown.format(application["id"])
    listing = pages.get(page, timeout=30)
    assert listing.status_code == 200 and "\u202e" not in listing.text
    for name, attachment_id in application["attachments"]:
        assert_download(pages.get(f"{page}/attachments/{attachment_id}", timeout=30), name)


def test_a_name_of_nothing_but_control_characters_is_refused(system):
    me = resident(system, "anna")
    created = api(system, "POST", "/applications", client=CLIENT, headers=me,
                  json={"type_id": TYPE, "data": {}})
    assert created.status_code == 201, created.text
    body, kind = multipart({"document_id": "vehicle_registration"}, "\u202e\x00\x07 ", png())
    refused = api(system, "POST", f"/applications/{created.json()['id']}/attachments",
                  client=CLIENT, headers={**me, "Content-Type": kind}, data=body)
    assert_problem(refused, 400, "validation_failed")
    assert refused.json()["invalid_params"][0]["name"] == "filename"


DEEP = "[" * 1000 + "]" * 1000
START = '{"type_id": "' + TYPE + '", "data": '
JSON_BODIES = {
    "deep": START + '{"x": ' + DEEP + "}}",
    "deep object": START + '{"a":' * 1000 + "1" + "}" * 1001,
    # in a text field the service would store (encrypted: UTF-8 first)
    "lone surrogate": START + '{"vehicle_holder": "Erika \\ud800"}}',
    "lone surrogate key": START + '{"\\udfff": "x"}}',
    "lone surrogate bytes": START.encode() + b'{"vehicle_holder": "\xed\xa0\x80"}}',
}


@pytest.mark.parametrize("body", JSON_BODIES.values(), ids=JSON_BODIES.keys())
def test_deep_json_and_lone_surrogates_are_400(system, body):
    sent = body if isinstance(body, bytes) else body.encode()
    headers = {**resident(system, "anna"), "Content-Type": "application/json"}
    assert_problem(api(system, "POST", "/applications", client=CLIENT, headers=headers,
                       data=sent), 400, "malformed_json")
    # an anonymous route too, and one with a path id
    assert_problem(api(system, "POST", "/holds", client=CLIENT, data=sent,
                       headers={"Content-Type": "application/json"}), 400, "malformed_json")
    assert_problem(api(system, "PATCH", f"/applications/{uuid.uuid4()}", client=CLIENT,
                       headers=headers, data=sent), 400, "malformed_json")


@pytest.mark.parametrize("challenge", [DEEP, '{"token": "\\ud800"}', "{not json"],
                         ids=["deep", "lone surrogate", "broken"])
def test_the_no_js_hold_form_with_such_json_gets_a_german_page(system, challenge):
    session = requests.Session()
    session.headers["X-Forwarded-For"] = address(41002)
    page = session.get(f"{system.url}/de/appointments/id-card/", timeout=30)
    assert page.status_code == 200
    action = re.search(r'class="slots"\s+action="([^"]+)"', page.text).group(1)
    slot = re.search(r'name="slot" id="[^"]+" value="([^"]+)"', page.text).group(1)
    fields = {**hidden_fields(page.text, action), "slot": slot, "pow_challenge": challenge}
    answer = session.post(system.url + action, data=fields, timeout=30)
    # sent before the no-JavaScript wait is over: the page says how long to wait
    assert answer.status_code == 403, answer.text
    assert answer.headers["Content-Type"].startswith("text/html")
    assert '<html lang="de"' in answer.text and "Sekunden" in answer.text
    assert_secured(answer)


def test_a_bearer_token_with_deep_json_is_401(system):
    payload = '{"iss": ' + DEEP + "}"
    part = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")
    response = api(system, "GET", "/applications",
                   headers={"Authorization": f"Bearer eyJhbGciOiJSUzI1NiJ9.{part}.c2ln"})
    assert_problem(response, 401, "not_authenticated")


def raw_request(system, request: bytes) -> http.client.HTTPResponse:
    """Send ``request`` as it is (no client library shortens or refuses it)."""
    port = int(system.url.rsplit(":", 1)[1])
    connection = socket.create_connection(("127.0.0.1", port), timeout=30)
    connection.sendall(request)
    response = http.client.HTTPResponse(connection)
    response.begin()
    return response


OVERSIZED = {
    "request line": (b"GET /api/v1/tenants/musterstadt/permit-types?q=" + b"a" * 8000
                     + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414, "request_line_too_long"),
    "header": (b"GET /de/ HTTP/1.1\r\nHost: x\r\nX-Long: " + b"b" * 9000 + b"\r\n\r\n",
               431, "request_headers_too_large"),
    "many headers": (b"GET /de/ HTTP/1.1\r\nHost: x\r\n"
                     + b"".join(b"X-%d: y\r\n" % number for number in range(150)) + b"\r\n",
                     431, "request_headers_too_large"),
}


@pytest.mark.parametrize("request_bytes, status, code", OVERSIZED.values(),
                         ids=OVERSIZED.keys())
def test_over_long_requests_get_problem_json_with_the_security_headers(
        system, request_bytes, status, code):
    response = raw_request(system, request_bytes)
    body = json.loads(response.read())
    assert response.status == status
    assert response.getheader("Content-Type") == PROBLEM
    assert body["code"] == code and body["status"] == status and body["title"]
    for name, value in HEADERS.items():
        assert response.getheader(name) == value, name
