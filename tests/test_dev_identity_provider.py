"""The development identity provider on its own (Flask's test client; no system needed)."""
import base64
import hashlib
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet

from deploy.local.dev_identity_provider import create_app

ISSUER = "http://127.0.0.1:8001"
SECRET = "client-secret"


@pytest.fixture
def idp():
    return create_app(ISSUER, SECRET).test_client()


def token(idp, username, client_id, **extra):
    return idp.post("/token", data={"grant_type": "password", "username": username,
                                    "password": "demo", "client_id": client_id,
                                    "client_secret": SECRET, **extra})


def claims_of(idp, access_token):
    keys = KeySet.import_key_set(idp.get("/jwks").get_json())
    return jwt.decode(access_token, keys, algorithms=["RS256"]).claims


def test_discovery_names_the_endpoints_and_levels(idp):
    found = idp.get("/.well-known/openid-configuration").get_json()
    assert found["issuer"] == ISSUER and found["jwks_uri"] == ISSUER + "/jwks"
    assert found["code_challenge_methods_supported"] == ["S256"]
    assert "http://eidas.europa.eu/LoA/substantial" in found["acr_values_supported"]
    assert all("d" not in key for key in idp.get("/jwks").get_json()["keys"])  # public only


def test_the_password_grant_gives_a_signed_access_token(idp):
    answer = token(idp, "david", "musterstadt-staff")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    claims = claims_of(idp, answer.get_json()["access_token"])
    assert claims["iss"] == ISSUER and claims["aud"] == "musterstadt-staff"
    assert claims["loket_roles"] == ["musterstadt:case_worker"]
    assert 800 <= claims["exp"] - claims["iat"] <= 900
    assert claims["name"] == "David Wolf"


def test_levels_and_audiences_are_kept(idp):
    low = claims_of(idp, token(idp, "ben", "musterstadt-residents",
                               acr_values="http://eidas.europa.eu/LoA/high"
                               ).get_json()["access_token"])
    assert low["acr"] == "http://eidas.europa.eu/LoA/low"  # Ben cannot reach high
    assert "loket_roles" not in low
    assert token(idp, "david", "musterstadt-residents").status_code == 400  # staff only
    assert token(idp, "anna", "musterstadt-staff").status_code == 400
    wrong = idp.post("/token", data={"grant_type": "password", "username": "anna",
                                     "password": "demo", "client_id": "musterstadt-residents",
                                     "client_secret": "guess"})
    assert wrong.status_code == 401


def test_userinfo_needs_a_valid_token(idp):
    access = token(idp, "anna", "musterstadt-residents").get_json()["access_token"]
    info = idp.get("/userinfo", headers={"Authorization": f"Bearer {access}"})
    assert info.get_json()["email"] == "anna.schmidt@example.org"
    assert idp.get("/userinfo", headers={"Authorization": "Bearer x.y.z"}).status_code == 401


def test_the_code_flow_requires_pkce_and_issues_an_id_token(idp):
    verifier = "v" * 50
    challenge = base64.urlsafe_b64encode(
        hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    query = {"response_type": "code", "client_id": "musterstadt-residents", "scope": "openid",
             "redirect_uri": "http://127.0.0.1:8000/auth/callback", "state": "s1",
             "nonce": "n1", "ui_locales": "de"}
    no_pkce = idp.get("/authorize", query_string=query)
    assert no_pkce.status_code == 400
    query.update(code_challenge=challenge, code_challenge_method="S256")
    page = idp.get("/authorize", query_string=query)
    assert page.status_code == 200 and "Entwicklung" in page.get_data(as_text=True)
    elsewhere = idp.get("/authorize", query_string={
        **query, "redirect_uri": "https://evil.example/auth/callback"})
    assert elsewhere.status_code == 400
    answer = idp.post("/authorize", query_string=query,
                      data={"user": "anna", "level": "substantial"})
    assert answer.status_code == 302
    code = parse_qs(urlsplit(answer.headers["Location"]).query)["code"][0]
    redeem = {"grant_type": "authorization_code", "code": code, "client_id":
              "musterstadt-residents", "client_secret": SECRET,
              "redirect_uri": query["redirect_uri"]}
    assert idp.post("/token", data={**redeem, "code_verifier": "w" * 50}).status_code == 400
    tokens = idp.post("/token", data={**redeem, "code_verifier": verifier})
    assert tokens.status_code == 200, tokens.get_data(as_text=True)
    id_token = claims_of(idp, tokens.get_json()["id_token"])
    assert id_token["nonce"] == "n1" and id_token["aud"] == ["musterstadt-residents"]
    assert id_token["acr"] == "http://eidas.europa.eu/LoA/substantial"
    assert idp.post("/token", data={**redeem, "code_verifier": verifier}).status_code == 400
    json.dumps(id_token)  # plain JSON claims
