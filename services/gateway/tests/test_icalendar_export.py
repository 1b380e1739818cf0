"""A booking downloads as a valid RFC 5545 calendar without personal data."""
from datetime import UTC, datetime

from icalendar import Calendar

from loket_gateway.icalendar_export import booking_to_ics

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


def test_booking_round_trips_through_an_rfc5545_parser():
    raw = booking_to_ics(BOOKING, language="en", organizer_name="Town of Musterstadt",
                         manage_url="http://127.0.0.1:8000/en/manage?token=s3cret",
                         now=datetime(2026, 11, 22, tzinfo=UTC))
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded
    event = Calendar.from_ical(raw).walk("VEVENT")[0]
    assert str(event["uid"]) == "K7M2-Q9XP@musterstadt.loket"
    assert event.decoded("dtstart") == datetime(2026, 12, 1, 8, 15, tzinfo=UTC)
    assert event.decoded("dtend") == datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
    assert str(event["summary"]) == "ID card"
    assert "Marktplatz 1" in str(event["location"])
    assert "Photo" in str(event["description"]) and "37.80 EUR" in str(event["description"])
    assert str(event["status"]) == "CONFIRMED"
    assert event.walk("VALARM")[0].decoded("trigger").days == -1


def test_a_cancelled_booking_says_so_in_german():
    raw = booking_to_ics({**BOOKING, "state": "cancelled"}, language="de",
                         organizer_name="Stadt Musterstadt", manage_url="http://x/")
    event = Calendar.from_ical(raw).walk("VEVENT")[0]
    assert str(event["status"]) == "CANCELLED"
    assert str(event["summary"]) == "Personalausweis"
