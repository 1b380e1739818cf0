"""The gateway's booking API as a test client: each simulated resident has an address.

The end-to-end system trusts one proxy (``LOKET_TRUSTED_PROXIES=1``), so a client's
``X-Forwarded-For`` is its address for the rate limits; holds solve the proof of work.
"""
import requests

from loket_gateway.appointments.anti_bot.proof_of_work import solve

API = "/api/v1/tenants/musterstadt"
CONTACT = {"name": "Erika Mustermann", "email": "erika@example.org", "language": "en"}


def address(number: int) -> str:
    """A distinct client address for simulated resident ``number``."""
    return f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"


def api(system, method, path, client="10.255.0.1", headers=None, **kwargs):
    """Call the tenant's API as the client at address ``client``."""
    headers = {"X-Forwarded-For": client, **(headers or {})}
    return requests.request(method, system.url + API + path, timeout=30, headers=headers,
                            **kwargs)


def solved(system, client="10.255.0.1") -> str:
    """A fresh hold challenge, solved as proof-of-work.js solves it (base64 payload)."""
    issued = api(system, "POST", "/challenges", client=client)
    assert issued.status_code == 201, issued.text
    return solve(issued.json()["challenge"])


def hold(system, slot, client="10.255.0.1", proof=None):
    """Hold ``slot``, with a freshly solved challenge unless ``proof`` is given."""
    body = {key: slot[key] for key in ("service_id", "office_id", "start")}
    body["pow_solution"] = proof if proof is not None else solved(system, client)
    return api(system, "POST", "/holds", client=client, json=body)
