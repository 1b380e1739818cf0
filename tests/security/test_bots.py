"""Bots and resale (issue 12): limits on confirmed bookings per address and per network, a
proof of work that rises with a client's activity, services only a signed-in person books.

The audit saw one address make 4 anonymous bookings with throwaway emails in 4 s. Clients
here use documentation networks (198.51.100.0/24, 203.0.113.0/24, 192.0.2.0/24), outside
the test clients' addresses that ``conftest.py`` exempts, so the default limits apply.
"""
import json
import uuid
from datetime import UTC, datetime
from urllib.parse import urljoin

import pytest
import requests

from loket_gateway.appointments.anti_bot.proof_of_work import solve

from ..booking_client import api, solved
from ..forms import hidden_fields

pytestmark = pytest.mark.e2e

TEXT = {"de": "Beispiel", "en": "Example"}
POLICY = {"release_days_ahead": 7, "release_time": "00:00", "min_lead_minutes": 0,
          "max_active_bookings_per_person": 1}
EVERY_DAY = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ADMIN_CLIENT = "192.0.2.200"
BOT_NETWORK = "198.51.100."
ADDRESS_LIMIT, NETWORK_LIMIT = 3, 10  # RATE_LIMIT_BOOKING_ADDRESS/NETWORK per hour (defaults)


class Desk:
    """A fresh office with one service (identity-bound if asked); undone afterwards."""

    def __init__(self, system, identity_required: str | None = None) -> None:
        self.system, self.identity_required = system, identity_required
        suffix = uuid.uuid4().hex[:8]
        self.office, self.service = f"bots-{suffix}", f"svc-{suffix}"
        self.bookings: list[tuple[str, str, str | None]] = []  # reference, token, its person
        self.holds: list[str] = []

    def admin(self, method, path, headers=None, **kwargs):
        token = self.system.token_for("erika")
        return api(self.system, method, path, client=ADMIN_CLIENT,
                   headers={"Authorization": f"Bearer {token}", **(headers or {})}, **kwargs)

    def create(self) -> None:
        extra = {"identity_required": self.identity_required} if self.identity_required else {}
        made = self.admin("PUT", f"/services/{self.service}", {"If-None-Match": "*"}, json={
            "name": TEXT, "description": TEXT, "duration_minutes": 5, "fee_cents": 0,
            "booking_policy": POLICY, **extra})
        assert made.status_code == 201, made.text
        made = self.admin("PUT", f"/offices/{self.office}", {"If-None-Match": "*"}, json={
            "name": TEXT, "address": {"street": "Teststr. 1", "postal_code": "1", "city": "X"},
            "accessibility": TEXT, "timezone": "Europe/Berlin", "service_ids": [self.service],
            "counters": [{"id": "c1", "name": TEXT, "service_ids": [self.service]}],
            "opening_hours": {day: [["08:00", "18:00"]] for day in EVERY_DAY}})
        assert made.status_code == 201, made.text

    def slots(self, limit: int = 100) -> list[dict]:
        found = api(self.system, "GET", "/slots", client=ADMIN_CLIENT, params={
            "service_id": self.service, "office_id": self.office, "limit": limit})
        assert found.status_code == 200, found.text
        return found.json()

    def held(self, slot: dict, client: str, token: str | None = None) -> requests.Response:
        body = {key: slot[key] for key in ("service_id", "office_id", "start")}
        body["pow_solution"] = solved(self.system, client)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        answer = api(self.system, "POST", "/holds", client=client, json=body, headers=headers)
        if answer.status_code == 201:
            self.holds.append(answer.json()["hold_id"])
        return answer

    def confirm(self, hold_id: str, client: str, email: str, token: str | None = None,
                person: str | None = None) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        answer = api(self.system, "POST", f"/holds/{hold_id}/confirmation", client=client,
                     headers=headers, json={"name": "Max Muster", "email": email,
                                            "language": "en"})
        if answer.status_code == 201:
            self.holds.remove(hold_id)
            self.bookings.append((answer.json()["booking"]["reference"],
                                  answer.json()["manage_token"], person))
        return answer

    def book(self, slot: dict, client: str) -> requests.Response:
        """Hold and confirm ``slot`` from ``client`` with a throwaway email, as the bot did."""
        held = self.held(slot, client)
        assert held.status_code == 201, held.text
        return self.confirm(held.json()["hold_id"], client, f"{uuid.uuid4().hex}@example.org")

    def undo(self) -> None:
        """Cancel what was booked and let holds go, then deactivate the office."""
        for reference, token, person in self.bookings:
            headers = {"X-Manage-Token": token}
            if person:
                headers["Authorization"] = f"Bearer {self.system.token_for(person)}"
            api(self.system, "DELETE", f"/bookings/{reference}", client=ADMIN_CLIENT,
                headers=headers)
        for hold_id in self.holds:
            api(self.system, "DELETE", f"/holds/{hold_id}", client=ADMIN_CLIENT)
        current = self.admin("GET", f"/offices/{self.office}")
        if current.status_code == 200:
            self.admin("DELETE", f"/offices/{self.office}", {"If-Match": current.headers["ETag"]})


@pytest.fixture
def desk(system):
    made = Desk(system)
    made.create()
    yield made
    made.undo()


@pytest.fixture
def bound_desk(system):
    """A service that only residents signed in at "substantial" can book."""
    made = Desk(system, identity_required="substantial")
    made.create()
    yield made
    made.undo()


def test_an_address_and_then_its_network_are_refused_after_their_confirmed_bookings(desk):
    free = iter(desk.slots())
    first = BOT_NETWORK + "1"
    for _ in range(ADDRESS_LIMIT):
        assert desk.book(next(free), first).status_code == 201
    refused = desk.book(next(free), first)
    assert refused.status_code == 429, refused.text
    assert refused.json()["code"] == "rate_limited" and int(refused.headers["Retry-After"]) > 0

    # Neighbours in the same /24 share the network's count: 10 an hour, then no more.
    booked, neighbour = ADDRESS_LIMIT, 2
    while booked < NETWORK_LIMIT:
        for _ in range(min(ADDRESS_LIMIT, NETWORK_LIMIT - booked)):
            assert desk.book(next(free), f"{BOT_NETWORK}{neighbour}").status_code == 201
            booked += 1
        neighbour += 1
    fresh_neighbour = desk.book(next(free), f"{BOT_NETWORK}{neighbour}")
    assert fresh_neighbour.status_code == 429, fresh_neighbour.text

    # Only confirmations count, per network: another network books as before.
    assert desk.book(next(free), "203.0.113.9").status_code == 201


def challenge(system, client: str) -> tuple[int, float]:
    """A new challenge's difficulty and its no-JavaScript wait in seconds."""
    issued = api(system, "POST", "/challenges", client=client)
    assert issued.status_code == 201, issued.text
    body = issued.json()
    wait = datetime.fromisoformat(body["not_before"]) - datetime.now(UTC)
    return body["challenge"]["maxnumber"], wait.total_seconds()


def test_the_proof_of_work_and_the_wait_rise_with_an_address_s_activity(system):
    busy = "192.0.2.10"
    base, base_wait = challenge(system, busy)
    for _ in range(9):  # PROOF_OF_WORK_FREE_PER_ADDRESS = 10 actions an hour
        assert challenge(system, busy)[0] == base
    seen = [challenge(system, busy)[0] for _ in range(6)]
    assert seen == [base * 2 ** n for n in range(1, 7)][:5] + [base * 32]  # capped at 2^5
    difficulty, wait = challenge(system, busy)
    assert difficulty == base * 32 and wait > base_wait * 16
    # A quiet neighbour is not punished for one busy address (network allowance: 40).
    assert challenge(system, "192.0.2.11")[0] == base


def test_an_identity_bound_service_is_booked_only_signed_in_and_stays_with_its_person(
        bound_desk):
    desk = bound_desk
    system = desk.system
    first, second = desk.slots(limit=2)
    client = "203.0.113.20"
    anonymous = desk.held(first, client)
    assert anonymous.status_code == 401, anonymous.text
    assert anonymous.json()["code"] == "identity_required"
    assert anonymous.json()["required_level"] == "substantial"
    too_weak = desk.held(first, client, system.token_for("ben"))  # reaches only "low"
    assert too_weak.status_code == 403 and too_weak.json()["code"] == "trust_level_too_low"

    anna = system.token_for("anna", level="substantial")
    held = desk.held(first, client, anna)
    assert held.status_code == 201, held.text
    # Someone else cannot confirm Anna's hold; Anna books under her own name, whatever typed.
    assert desk.confirm(held.json()["hold_id"], client, "x@example.org").status_code == 401
    booked = desk.confirm(held.json()["hold_id"], client, "anna@example.org", anna, "anna")
    assert booked.status_code == 201, booked.text
    reference, token, _ = desk.bookings[-1]

    clara = {"Authorization": f"Bearer {system.token_for('clara')}"}

    def on_the_day_list(start: str) -> dict:
        listed = api(system, "GET", f"/offices/{desk.office}/day-list", client=ADMIN_CLIENT,
                     headers=clara, params={"date": start[:10]})
        assert listed.status_code == 200, listed.text
        return next(entry for entry in listed.json() if entry["reference"] == reference)

    entry = on_the_day_list(first["start"])
    assert entry["name"] == "Anna Schmidt" and entry["identity_required"] == "substantial"

    # Not transferable: the manage link alone moves and cancels nothing, another person neither.
    link = {"X-Manage-Token": token}
    path = f"/bookings/{reference}"
    assert api(system, "DELETE", path, client=client, headers=link).status_code == 401
    dora = {"Authorization": f"Bearer {system.token_for('dora')}"}
    other = api(system, "DELETE", path, client=client, headers={**link, **dora})
    assert other.status_code == 403 and other.json()["code"] == "booking_not_transferable"
    moved = api(system, "POST", path + "/reschedule", client=client,
                headers={**link, "Authorization": f"Bearer {anna}"},
                json={"office_id": desk.office, "start": second["start"]})
    assert moved.status_code == 200, moved.text
    entry = on_the_day_list(second["start"])
    assert entry["name"] == "Anna Schmidt" and entry["identity_required"] == "substantial"


def sign_in_through_the_provider(session, system, location: str, user: str, level: str):
    """Follow the gateway's sign-in redirect, pick ``user`` at ``level``; where it leads."""
    page = session.get(urljoin(system.url, location), timeout=30)
    assert page.url.startswith(system.idp_url + "/authorize"), page.url
    chosen = session.post(page.url, data={"user": user, "level": level}, timeout=30,
                          allow_redirects=False)
    assert chosen.status_code == 302, chosen.text
    back = session.get(chosen.headers["Location"], timeout=30, allow_redirects=False)
    assert back.status_code == 303, back.text
    return back.headers["Location"]


def test_the_pages_of_an_identity_bound_service_sign_in_first_and_book_under_that_name(
        bound_desk):
    desk, system = bound_desk, bound_desk.system
    resident = requests.Session()
    resident.headers["X-Forwarded-For"] = "203.0.113.30"
    slots_url = f"{system.url}/en/appointments/{desk.service}/"
    gate = resident.get(slots_url, timeout=30, allow_redirects=False)
    assert gate.status_code == 303
    assert "/sign-in" in gate.headers["Location"] and "level=substantial" in gate.headers[
        "Location"]
    back = sign_in_through_the_provider(resident, system, gate.headers["Location"], "anna",
                                        "substantial")
    assert urljoin(system.url, back) == slots_url

    slot = desk.slots(limit=1)[0]
    fields = hidden_fields(resident.get(slots_url, timeout=30).text,
                           f"/appointments/{desk.service}/")
    fields |= {"slot": f"{slot['office_id']}|{slot['start']}",
               "pow_solution": solve(json.loads(fields["pow_challenge"])["challenge"])}
    held = resident.post(slots_url, data=fields, timeout=30, allow_redirects=False)
    assert held.status_code == 303, held.text
    contact_url = urljoin(slots_url, held.headers["Location"])
    contact = resident.get(contact_url, timeout=30)
    assert "Anna Schmidt" in contact.text and "the name must match it" in contact.text
    assert 'name="name"' not in contact.text  # not asked: the sign-in's name
    booked = resident.post(contact_url, timeout=30, allow_redirects=False, data={
        **hidden_fields(contact.text, contact_url.removeprefix(system.url)),
        "name": "Typed Buyer", "email": "anna@example.org", "language": "en"})
    assert booked.status_code == 303, booked.text
    manage = resident.get(urljoin(contact_url, booked.headers["Location"]), timeout=30)
    assert "This appointment is bound to you" in manage.text
    reference = manage.url.split("/bookings/")[1].split("?")[0]
    token = manage.url.split("token=")[1].split("&")[0]
    desk.bookings.append((reference, token, "anna"))

    # The manage link opened by anyone else moves nothing: the sign-in comes first.
    stranger = requests.get(f"{system.url}/en/appointments/bookings/{reference}/reschedule",
                            params={"token": token}, timeout=30, allow_redirects=False,
                            headers={"X-Forwarded-For": "203.0.113.31"})
    assert stranger.status_code == 303 and "/sign-in" in stranger.headers["Location"]
