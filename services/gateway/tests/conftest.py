import pytest
from flask import session
from flask_wtf.csrf import generate_csrf

from loket_gateway.app import create_app
from loket_gateway.settings import Settings


@pytest.fixture
def app():
    # A broker address nobody listens on: these tests need no services.
    return create_app(Settings(amqp_uri="amqp://guest:guest@127.0.0.1:1/", rpc_timeout=1,
                               health_timeout=0.5, secret="gateway-test-secret"))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def form_token(app, client):
    """A valid CSRF token for ``client``'s session, as its forms carry it (``csrf_field()``)."""
    with app.test_request_context():
        token, secret = generate_csrf(), session["csrf_token"]
    with client.session_transaction() as client_session:
        client_session["csrf_token"] = secret
    return token
