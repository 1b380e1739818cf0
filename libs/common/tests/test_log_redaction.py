"""Log lines never carry a secret: secret-named fields and secret query values are blanked."""
import json
import logging

import pytest

from loket_common.logs import REDACTED, get_logger, json_formatter, redact_text

from .test_logs import record_of

TOKEN = "mX3v-7QkP2sLr9Zt_cW4yBn8uE1aHd6f"


@pytest.mark.parametrize("text, expected", [
    (f"GET /de/appointments/bookings/K7M2-Q9XP?token={TOKEN} HTTP/1.1",
     f"GET /de/appointments/bookings/K7M2-Q9XP?token={REDACTED} HTTP/1.1"),
    (f"/bookings/K7M2-Q9XP/calendar.ics?lang=de&token={TOKEN}&done=1",
     f"/bookings/K7M2-Q9XP/calendar.ics?lang=de&token={REDACTED}&done=1"),
    ("/auth/callback?code=abc123&state=xyz", f"/auth/callback?code={REDACTED}&state={REDACTED}"),
    (f"token={TOKEN}", f"token={REDACTED}"),
    ("/slots?service_id=id-card&date=2026-12-01", "/slots?service_id=id-card&date=2026-12-01"),
    ("error code=validation_failed", "error code=validation_failed"),
])
def test_secret_query_values_are_replaced_and_the_rest_kept(text, expected):
    assert redact_text(text) == expected


def test_a_record_loses_its_secret_fields_and_the_secrets_in_its_message():
    def emit(logger):
        logger.info("opened %s", f"/lottery/K7M2?token={TOKEN}")

    line = json_formatter().format(record_of("some.library", emit))
    assert TOKEN not in line
    assert json.loads(line)["event"] == f"opened /lottery/K7M2?token={REDACTED}"


def test_a_structlog_field_named_like_a_secret_is_blanked(caplog):
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Keep()
    logging.getLogger("loket.test.redaction").addHandler(handler)
    logging.getLogger("loket.test.redaction").setLevel(logging.INFO)
    try:
        get_logger("loket.test.redaction").info(
            "confirmed", manage_token=TOKEN, reference="K7M2-Q9XP",
            headers={"Authorization": f"Bearer {TOKEN}", "Accept": "text/html"})
    finally:
        logging.getLogger("loket.test.redaction").removeHandler(handler)
    line = json.loads(json_formatter().format(records[-1]))
    assert TOKEN not in json.dumps(line)
    assert line["manage_token"] == REDACTED and line["reference"] == "K7M2-Q9XP"
    assert line["headers"] == {"Authorization": REDACTED, "Accept": "text/html"}
