"""A booking downloads as a valid RFC 5545 calendar without personal data."""
from datetime import UTC, datetime

import pytest
from icalendar import Calendar

from loket_gateway.appointments.ics import booking_to_ics

BOOKING = {
    "reference": "K7M2-Q9XP", "tenant": "musterstadt", "state": "booked",
    "start": "2026-12-01T09:15:00+01:00", "end": "2026-12-01T09:30:00+01:00",
    "service": {"id": "id-card", "name": {"de": "Personalausweis", "en": "ID card"},
                "duration_minutes": 15, "fee_cents": 3780,
                "required_documents": [{"de": "Passfoto", "en": "Photo"}]},
    "office": {"id": "rathaus", "name": {"de": "Rathaus", "en": "Town hall"},
               "address": {"street": "Marktplatz 1", "postal_code": "12345",
                           "city": "Musterstadt"}},
}
MANAGE_URL = "http://127.0.0.1:8000/en/manage?token=s3cret"
NOW = datetime(2026, 11, 22, tzinfo=UTC)


def _ics(booking=BOOKING, language="en", **options) -> bytes:
    options = {"organizer_name": "Town of Musterstadt", "manage_url": MANAGE_URL, "now": NOW,
               **options}
    return booking_to_ics(booking, language=language, **options)


def _event(raw: bytes):
    return Calendar.from_ical(raw).walk("VEVENT")[0]


def test_booking_round_trips_through_an_rfc5545_parser():
    raw = _ics()
    calendar = Calendar.from_ical(raw)
    assert str(calendar["version"]) == "2.0" and str(calendar["method"]) == "PUBLISH"
    assert str(calendar["prodid"]).startswith("-//Loket//")
    [event] = calendar.walk("VEVENT")
    assert str(event["uid"]) == "K7M2-Q9XP@musterstadt.loket"
    assert event.decoded("dtstamp") == NOW
    assert event.decoded("dtstart") == datetime(2026, 12, 1, 8, 15, tzinfo=UTC)
    assert event.decoded("dtend") == datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
    assert str(event["summary"]) == "ID card"
    assert str(event["location"]) == "Town hall, Marktplatz 1, 12345 Musterstadt"
    assert str(event["url"]) == MANAGE_URL
    assert str(event["status"]) == "CONFIRMED"
    assert event["organizer"].params["CN"] == "Town of Musterstadt"
    [alarm] = event.walk("VALARM")
    assert alarm.decoded("trigger").days == -1 and str(alarm["action"]) == "DISPLAY"


def test_times_are_written_in_utc():
    raw = _ics()
    assert b"DTSTART:20261201T081500Z\r\n" in raw and b"DTEND:20261201T083000Z\r\n" in raw


def test_the_description_says_what_to_bring_and_how_to_change_it():
    description = str(_event(_ics())["description"])
    assert "K7M2-Q9XP" in description
    assert "€37.80" in description
    assert "Please bring:\n- Photo" in description
    assert f"Change or cancel: {MANAGE_URL}" in description


def test_lines_end_in_crlf_and_long_lines_are_folded_between_characters():
    long_document = {"de": "Gültige Meldebescheinigung über die Ummeldung (Ä, Ö, Ü) " * 4,
                     "en": "x"}
    booking = {**BOOKING, "service": {**BOOKING["service"],
                                      "required_documents": [long_document]}}
    raw = _ics(booking, "de")
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")  # no bare line feeds
    lines = raw.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)  # octets, not characters (RFC 5545 3.1)
    assert any(line.startswith(b" ") for line in lines)  # continuation lines
    for line in lines:
        line.decode("utf-8")  # a fold never splits a multi-byte character
    assert long_document["de"].strip() in str(_event(raw)["description"])


def test_a_cancelled_booking_says_so_in_german():
    event = _event(_ics({**BOOKING, "state": "cancelled"}, "de",
                        organizer_name="Stadt Musterstadt", manage_url="http://x/"))
    assert str(event["status"]) == "CANCELLED"
    assert str(event["summary"]) == "Personalausweis"
    assert "Bitte mitbringen:\n- Passfoto" in str(event["description"])
    assert "37,80\xa0€" in str(event["description"])


@pytest.mark.parametrize("language", ["fr", "xx"])
def test_a_language_without_texts_falls_back_to_german_texts(language):
    event = _event(_ics(language=language))
    assert str(event["summary"]) == "Personalausweis"
    assert "Rathaus" in str(event["location"])


def test_no_personal_data_reaches_the_file():
    booking = {**BOOKING, "contact": {"name": "Erika Mustermann",
                                      "email": "erika@example.org", "phone": "+49 30 987654"}}
    raw = _ics(booking).decode()
    for personal in ("Erika", "erika@example.org", "987654"):
        assert personal not in raw
