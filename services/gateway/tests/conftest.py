import re

import pytest

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
def form_token(client):
    """A valid CSRF token for ``client``'s session, read from a form as a browser would."""
    page = client.get("/en/staff/").get_data(as_text=True)  # signed out: the sign-in form
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
