"""The booking kinds carry the booking's .ics: it parses, and says start, status and revision."""
from datetime import UTC, datetime

import pytest
from icalendar import Calendar

from loket_common.booking_calendar import booking_to_ics
from loket_notifications.rendering import Renderer
from loket_notifications.rendering.samples import SAMPLE_TENANT, sample_context

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def renderer():
    return Renderer(now=lambda: NOW)


def _event(attachment):
    [event] = Calendar.from_ical(attachment.data).walk("VEVENT")
    return event


@pytest.mark.parametrize(("language", "filename"), [("de", "termin.ics"),
                                                    ("en", "appointment.ics")])
def test_a_confirmation_carries_the_appointment(renderer, language, filename):
    context = sample_context("booking_confirmed", language)
    [attachment] = renderer.render("booking_confirmed", language, SAMPLE_TENANT,
                                   context).attachments
    assert attachment.filename == filename
    assert attachment.content_type.startswith("text/calendar")
    calendar = Calendar.from_ical(attachment.data)
    assert str(calendar["method"]) == "PUBLISH"
    event = _event(attachment)
    assert event.decoded("dtstart") == datetime(2026, 12, 1, 8, 15, tzinfo=UTC)
    assert str(event["status"]) == "CONFIRMED" and int(event["sequence"]) == 0
    assert str(event["uid"]) == "K7M2-Q9XP@musterstadt.loket"
    assert str(event["url"]) == context["manage_url"]
    assert event["organizer"].params["CN"] == SAMPLE_TENANT["name"][language]
    assert b"Erika" not in attachment.data and b"erika@" not in attachment.data


def test_a_moved_booking_replaces_the_event_with_a_higher_sequence(renderer):
    confirmed = _event(renderer.render("booking_confirmed", "de", SAMPLE_TENANT,
                                       sample_context("booking_confirmed", "de")).attachments[0])
    moved = _event(renderer.render("booking_moved", "de", SAMPLE_TENANT,
                                   sample_context("booking_moved", "de")).attachments[0])
    later = Renderer(now=lambda: NOW.replace(hour=13))
    moved_again = _event(later.render("booking_moved", "de", SAMPLE_TENANT,
                                      sample_context("booking_moved", "de")).attachments[0])
    assert str(moved["uid"]) == str(confirmed["uid"])
    assert moved.decoded("dtstart") == datetime(2026, 12, 3, 13, 0, tzinfo=UTC)
    assert int(confirmed["sequence"]) < int(moved["sequence"]) < int(moved_again["sequence"])
    assert str(moved["status"]) == "CONFIRMED"


def test_a_cancellation_cancels_the_event(renderer):
    rendered = renderer.render("booking_cancelled", "en", SAMPLE_TENANT,
                               sample_context("booking_cancelled", "en"))
    calendar = Calendar.from_ical(rendered.attachments[0].data)
    assert str(calendar["method"]) == "PUBLISH"
    [event] = calendar.walk("VEVENT")
    assert str(event["status"]) == "CANCELLED"
    assert int(event["sequence"]) > 0
    assert "url" not in event and "manage" not in str(event["description"]).lower()
    assert event.walk("VALARM") == []


def test_a_cancelled_booking_whatever_state_it_reports_is_cancelled_in_the_file(renderer):
    context = sample_context("booking_cancelled", "de")
    context["booking"]["state"] = "booked"
    event = _event(renderer.render("booking_cancelled", "de", SAMPLE_TENANT,
                                   context).attachments[0])
    assert str(event["status"]) == "CANCELLED"


def test_a_lottery_win_carries_the_appointment_and_a_loss_nothing(renderer):
    won = renderer.render("lottery_result", "de", SAMPLE_TENANT,
                          sample_context("lottery_result", "de"))
    event = _event(won.attachments[0])
    assert event.decoded("dtstart") == datetime(2026, 12, 14, 7, 30, tzinfo=UTC)
    lost = renderer.render("lottery_result", "de", SAMPLE_TENANT,
                           sample_context("lottery_result", "de", "not_allocated"))
    assert lost.attachments == ()


@pytest.mark.parametrize("kind", ["booking_reminder", "lottery_entered", "permit_submitted",
                                  "permit_decided", "erasure_completed", "case_assigned"])
def test_other_kinds_attach_nothing(renderer, kind):
    assert renderer.render(kind, "de", SAMPLE_TENANT,
                           sample_context(kind, "de")).attachments == ()


def test_the_shared_calendar_takes_datetimes_as_the_services_return_them():
    booking = sample_context("booking_confirmed", "en")["booking"]
    booking = {**booking, "start": datetime(2026, 12, 1, 8, 15),  # naive: UTC, as pymongo
               "end": datetime(2026, 12, 1, 8, 30, tzinfo=UTC)}
    event = _event(type("A", (), {"data": booking_to_ics(
        booking, language="en", organizer_name="Town", manage_url=None, now=NOW,
        sequence=3)})())
    assert event.decoded("dtstart") == datetime(2026, 12, 1, 8, 15, tzinfo=UTC)
    assert int(event["sequence"]) == 3 and "url" not in event
