"""Sessions that really end (issue 12): the audit's old cookies, replayed against the system.

Before: page sessions were signed cookies carrying the name and subject, so an old cookie
still opened ``/de/me/`` after sign-out. Now the cookie is a random id of a record on the
server, and sign-out, timeouts, "sign out everywhere" and a tenant admin delete it.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import re
import zlib

import pytest
import requests
from pymongo import MongoClient

from ..test_sign_in import choose, csrf_of, provider_page

pytestmark = pytest.mark.e2e

COOKIE = "loket"  # development; production: __Host-loket (tests/test_identity.py)
API = "/api/v1/tenants/musterstadt"


def signed_in(system, user: str, start: str, level: str | None = None,
              browser: requests.Session | None = None) -> requests.Session:
    """A browser (requests session) signed in as ``user`` through the provider."""
    browser = browser or requests.Session()
    back = choose(browser, provider_page(browser, system, start), user, level)
    assert back.status_code == 303, back.text
    return browser


def resident(system, user: str = "anna", level: str | None = None,
             browser: requests.Session | None = None) -> requests.Session:
    return signed_in(system, user, "/de/sign-in?next=/de/me/", level, browser)


def staff(system, user: str) -> requests.Session:
    return signed_in(system, user, "/de/staff/")


def get(browser: requests.Session, system, path: str) -> requests.Response:
    return browser.get(system.url + path, timeout=10, allow_redirects=False)


def only_cookie(value: str) -> requests.Session:
    """A fresh browser holding nothing but a copied session cookie."""
    browser = requests.Session()
    browser.cookies.set(COOKIE, value)
    return browser


def signed_out(response: requests.Response, sign_in: str = "/de/sign-in") -> bool:
    return response.status_code == 303 and response.headers["Location"].startswith(sign_in)


def database(system):
    client = MongoClient(system.mongo_uri, tz_aware=True)
    return client, client["loket_gateway"]


def subject_of(system, user: str) -> str:
    me = requests.get(system.url + API + "/me", timeout=10,
                      headers={"Authorization": f"Bearer {system.token_for(user)}"})
    assert me.status_code == 200, me.text
    return me.json()["subject"]


def test_an_old_resident_cookie_opens_nothing_after_sign_out(system):
    browser = resident(system)
    me = get(browser, system, "/de/me/")
    assert me.status_code == 200 and "Anna" in me.text
    old = browser.cookies[COOKIE]
    out = browser.post(system.url + "/de/sign-out", data={"csrf_token": csrf_of(me.text)},
                       timeout=10, allow_redirects=False)
    assert out.status_code == 303
    replayed = get(only_cookie(old), system, "/de/me/")
    assert signed_out(replayed), replayed.status_code
    assert "Anna" not in replayed.text


def test_an_old_counter_clerk_cookie_opens_no_day_list_after_sign_out(system):
    browser = staff(system, "clara")
    day_list = get(browser, system, "/de/staff/day-list")
    assert day_list.status_code == 200, day_list.text
    old = browser.cookies[COOKIE]
    out = browser.post(system.url + "/de/staff/sign-out",
                       data={"csrf_token": csrf_of(day_list.text)}, timeout=10,
                       allow_redirects=False)
    assert out.status_code == 303
    assert signed_out(get(only_cookie(old), system, "/de/staff/day-list"), "/de/staff/")


def decoded_forms(value: str) -> list[bytes]:
    """The cookie as sent, each part base64-decoded, and those zlib-inflated (Flask's format)."""
    forms = [value.encode()]
    for part in re.split(r"[.]", value):
        try:
            raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        except (binascii.Error, ValueError):
            continue
        forms.append(raw)
        try:
            forms.append(zlib.decompress(raw))
        except zlib.error:
            pass
    return forms


def test_the_cookie_is_an_opaque_random_id_stored_only_as_a_hash(system):
    browser = resident(system)
    value = browser.cookies[COOKIE]
    subject = subject_of(system, "anna")
    for form in decoded_forms(value):
        for secret in ("Anna", "Schmidt", subject, subject.removeprefix("r-"), "substantial",
                       "musterstadt"):
            assert secret.encode() not in form, (secret, form[:80])
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", value), value  # 256 random bits, nothing else
    client, gateway = database(system)
    try:  # a database reader gets no usable cookie either
        assert gateway["page_sessions"].count_documents({"id": value}) == 0
        assert gateway["page_sessions"].count_documents(
            {"id": hashlib.sha256(value.encode()).hexdigest()}) == 1
    finally:
        client.close()


def test_the_session_id_changes_at_sign_in_and_at_step_up(system):
    browser = requests.Session()
    page = provider_page(browser, system, "/de/sign-in?next=/de/me/")
    before = browser.cookies[COOKIE]  # the session holding the sign-in under way
    assert choose(browser, page, "anna", "low").status_code == 303
    low = browser.cookies[COOKIE]
    assert low != before
    assert get(browser, system, "/de/me/").status_code == 200
    stepped = signed_in(system, "anna", "/de/sign-in?level=substantial&next=/de/me/",
                        "substantial", browser)
    high = stepped.cookies[COOKIE]
    assert high not in (before, low)
    assert get(stepped, system, "/de/me/").status_code == 200
    for old in (before, low):  # neither earlier id opens anything any more
        assert signed_out(get(only_cookie(old), system, "/de/me/"))


def test_sign_out_everywhere_ends_the_session_in_another_browser(system):
    laptop, phone = resident(system, "ben"), resident(system, "ben")
    assert get(phone, system, "/de/me/").status_code == 200
    me = get(laptop, system, "/de/me/")
    assert "Überall abmelden" in me.text  # German, with its CSRF-protected form
    action = "/de/sign-out-everywhere"
    assert laptop.post(system.url + action, timeout=10,
                       allow_redirects=False).status_code == 400  # no CSRF token
    out = laptop.post(system.url + action, data={"csrf_token": csrf_of(me.text)}, timeout=10)
    assert out.status_code == 200 and "auf jedem Gerät und in jedem Browser abgemeldet" in out.text
    assert signed_out(get(phone, system, "/de/me/"))
    assert signed_out(get(laptop, system, "/de/me/"))


def test_a_tenant_admin_ends_a_staff_members_sessions(system):
    clara = staff(system, "clara")
    assert get(clara, system, "/de/staff/day-list").status_code == 200
    assert get(clara, system, "/de/admin/staff-sessions").status_code == 403  # not an admin
    erika = staff(system, "erika")
    listing = get(erika, system, "/de/admin/staff-sessions")
    assert listing.status_code == 200 and "Clara Klein" in listing.text
    row = listing.text[listing.text.index("Clara Klein"):]
    subject = re.search(r'name="subject" value="(staff:[0-9a-f]+)"', row).group(1)
    ended = erika.post(system.url + "/de/admin/staff-sessions/end",
                       data={"csrf_token": csrf_of(listing.text), "subject": subject},
                       timeout=10)
    assert ended.status_code == 200 and "Clara Klein" not in ended.text
    assert signed_out(get(clara, system, "/de/staff/day-list"), "/de/staff/")
    assert get(erika, system, "/de/admin/staff-sessions").status_code == 200  # hers stays


@pytest.mark.parametrize("moved", [{"seen_at": 21 * 60, "login_at": 21 * 60},
                                   {"login_at": 8 * 3600 + 60}],
                         ids=["inactivity", "absolute"])
def test_a_timed_out_session_is_ended_on_the_server(system, moved):
    browser = resident(system, "dora")
    assert get(browser, system, "/de/me/").status_code == 200
    old = browser.cookies[COOKIE]
    client, gateway = database(system)
    records = gateway["signed_in"]
    mine = {"kind": "resident", "subject": subject_of(system, "dora")}
    try:  # the clock moves on: the record says it was last seen (or signed in) that long ago
        assert records.update_many(mine, {"$inc": {
            name: -seconds for name, seconds in moved.items()}}).modified_count >= 1
        expired = get(browser, system, "/de/me/")
        assert signed_out(expired) and "expired=1" in expired.headers["Location"]
        assert records.count_documents(mine) == 0  # gone on the server
        assert signed_out(get(only_cookie(old), system, "/de/me/"))
    finally:
        client.close()
