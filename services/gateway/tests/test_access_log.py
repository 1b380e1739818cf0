"""gunicorn's access line holds no token, whatever its format asks for."""
import datetime
from types import SimpleNamespace

from gunicorn.config import Config

from loket_common.logs import REDACTED
from loket_gateway.core.access_log import RedactingLogger

TOKEN = "mX3v-7QkP2sLr9Zt_cW4yBn8uE1aHd6f"
FORMAT = ('%(r)s %(q)s %(U)s %(f)s %({authorization}i)s %({x-manage-token}i)s '
          '%({http_cookie}e)s %({raw_uri}e)s %({x-request-id}o)s %(s)s')


def access_line() -> str:
    logger = RedactingLogger(Config())
    uri = f"/de/appointments/bookings/K7M2-Q9XP?token={TOKEN}"
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": uri, "SERVER_PROTOCOL": "HTTP/1.1",
               "PATH_INFO": "/de/appointments/bookings/K7M2-Q9XP",
               "QUERY_STRING": f"token={TOKEN}", "HTTP_REFERER": f"http://x{uri}",
               "HTTP_COOKIE": f"session={TOKEN}", "REMOTE_ADDR": "127.0.0.1"}
    request = SimpleNamespace(headers=[("AUTHORIZATION", f"Bearer {TOKEN}"),
                                       ("X-MANAGE-TOKEN", TOKEN)])
    response = SimpleNamespace(status="200 OK", sent=10,
                               headers=[("X-Request-ID", "abcdef0123456789")])
    atoms = logger.atoms(response, request, environ, datetime.timedelta(milliseconds=3))
    return FORMAT % logger.atoms_wrapper_class(atoms)


def test_no_secret_reaches_the_access_line_and_the_rest_stays():
    line = access_line()
    assert TOKEN not in line
    assert line.count(REDACTED) == 7
    assert "/de/appointments/bookings/K7M2-Q9XP" in line and "abcdef0123456789 200" in line


def test_the_gateway_runs_gunicorn_with_the_redacting_logger():
    from pathlib import Path

    namespace: dict = {}
    conf = Path(__file__).parents[1] / "gunicorn.conf.py"
    exec(compile(conf.read_text(), str(conf), "exec"), namespace)  # noqa: S102 (our own file)
    assert namespace["logger_class"] == "loket_gateway.core.access_log.RedactingLogger"
