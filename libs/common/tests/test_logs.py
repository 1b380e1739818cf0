"""JSON log lines: bound context, stdlib loggers alike, no remote error messages, valid ids."""
import json
import logging
import logging.config

import pytest
import structlog
from nameko.exceptions import RemoteError

from loket_common.logs import get_logger, json_formatter, logging_config
from loket_common.request_context import current_request_id, valid_request_id


def formatted(record: logging.LogRecord) -> dict:
    return json.loads(json_formatter().format(record))


def record_of(logger_name: str, emit) -> logging.LogRecord:
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    logger = logging.getLogger(logger_name)
    handler = Keep()
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        emit(logger)
    finally:
        logger.removeHandler(handler)
    return records[-1]


@pytest.fixture(autouse=True)
def fresh_context():
    structlog.contextvars.clear_contextvars()
    yield
    structlog.contextvars.clear_contextvars()


def test_a_plain_stdlib_record_is_json_with_the_bound_request_id():
    structlog.contextvars.bind_contextvars(request_id="abcdef12")
    line = formatted(record_of("nameko.containers", lambda log: log.info("started %s", 3)))
    assert line["event"] == "started 3"
    assert (line["level"], line["logger"], line["request_id"]) == ("info", "nameko.containers",
                                                                   "abcdef12")
    assert line["timestamp"].endswith("Z")


def test_a_structlog_record_keeps_its_fields():
    line = formatted(record_of("loket.test", lambda _: get_logger("loket.test").info(
        "event published", event_id="e-1", count=2)))
    assert (line["event"], line["event_id"], line["count"]) == ("event published", "e-1", 2)


def test_a_remote_error_is_logged_by_its_type_never_its_message():
    echoed = "@".join(["anna.schmidt", "example.org"]) + " is taken"  # not in the source line

    def emit(log):
        try:
            raise RemoteError("ValidationFailed", echoed)
        except RemoteError:
            log.exception("remote call failed")

    line = formatted(record_of("loket.test", emit))
    assert line["error_type"] == "ValidationFailed"
    assert "RemoteError: ValidationFailed" in line["exception"]
    assert "anna.schmidt@" not in json.dumps(line)


def test_an_exception_shows_its_chain_and_no_locals():
    def emit(log):
        secret = "token-123"  # noqa: F841 (a local must not appear)
        try:
            try:
                raise KeyError("slot")
            except KeyError as error:
                raise RuntimeError("claim failed") from error
        except RuntimeError:
            log.exception("boom")

    line = formatted(record_of("loket.test", emit))
    assert line["error_type"] == "RuntimeError"
    assert "KeyError: 'slot'" in line["exception"] and "claim failed" in line["exception"]
    assert "token-123" not in line["exception"]


def test_the_dict_config_keeps_loggers_made_before_it():
    early = logging.getLogger("kombu.made_before")
    config = logging_config("warning")
    assert config["disable_existing_loggers"] is False
    assert config["root"]["level"] == "WARNING"
    before = logging.getLogger().handlers[:], logging.getLogger().level
    try:
        logging.config.dictConfig(config)
        assert not early.disabled
        handler, = logging.getLogger().handlers
        assert isinstance(handler.formatter, structlog.stdlib.ProcessorFormatter)
    finally:
        root = logging.getLogger()
        root.handlers[:] = before[0]
        root.setLevel(before[1])


@pytest.mark.parametrize("value, valid", [
    ("abcdef12", True), ("A.b_c-0123456789", True), ("x" * 64, True),
    ("short", False), ("x" * 65, False), ("has space1", False), ("semi;colon", False),
    ("newline\nxx", False), (None, False), (12345678, False),
])
def test_what_counts_as_a_request_id(value, valid):
    assert valid_request_id(value) == (value if valid else None)


def test_current_request_id_reads_the_bound_context():
    assert current_request_id() is None
    structlog.contextvars.bind_contextvars(request_id="abcdef12")
    assert current_request_id() == "abcdef12"
