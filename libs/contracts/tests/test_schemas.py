"""The contract's schemas: what services dump, the gateway can dump again unchanged."""
from datetime import UTC, date, datetime

from loket_contracts.appointments.lottery import EntryFormSchema, EntryRequestSchema, ReleaseSchema
from loket_contracts.appointments.schemas import (
    BookingSchema,
    ContactFormSchema,
    ContactSchema,
    HoldDetailsSchema,
)
from loket_contracts.permits.applications import CasePageSchema, HistoryEntrySchema
from loket_contracts.profile.schemas import AddressSchema, ProfileUpdateSchema

START = datetime(2026, 5, 4, 8, 30, tzinfo=UTC)


def test_a_dumped_booking_dumps_to_itself():
    dumped = BookingSchema().dump({"reference": "B-1", "state": "booked", "start": START,
                                   "end": START, "expires_at": None})
    assert dumped["start"] == "2026-05-04T08:30:00+00:00"
    assert BookingSchema().dump(dumped) == dumped


def test_a_dumped_release_dumps_to_itself():
    dumped = ReleaseSchema().dump({"service_id": "id-card", "mode": "lottery", "state": "open",
                                   "day": date(2026, 5, 4), "opened_at": START,
                                   "draw_at": START})
    assert dumped["day"] == "2026-05-04"
    assert ReleaseSchema().dump(dumped) == dumped


def test_hold_details_show_only_the_public_parts_of_office_and_service():
    office = {"id": "rathaus", "name": {"de": "R", "en": "T"}, "timezone": "Europe/Berlin",
              "counters": [{"id": "a"}], "closures": []}
    service = {"id": "id-card", "duration_minutes": 15, "booking_policy": {}}
    dumped = HoldDetailsSchema().dump({"hold_id": "h", "reference": "B-1", "office": office,
                                       "service": service, "tenant": "musterstadt"})
    assert dumped["office"] == {"id": "rathaus", "name": {"de": "R", "en": "T"},
                                "timezone": "Europe/Berlin"}
    assert dumped["service"] == {"id": "id-card", "duration_minutes": 15}
    assert dumped["hold_id"] == "h"


def test_the_public_forms_never_take_the_subject():
    assert list(ContactFormSchema().fields) == ["name", "email", "language"]
    assert "subject" not in EntryFormSchema().fields
    assert set(ContactSchema().fields) == {"name", "email", "language", "subject"}
    assert set(EntryRequestSchema().fields) == {"name", "email", "language", "subject",
                                                "service_id", "office_id"}


def test_every_field_a_resident_fills_in_says_why_in_both_languages():
    for schema in (ContactFormSchema(), ProfileUpdateSchema(), AddressSchema()):
        for name, field in schema.fields.items():
            assert set(field.metadata["why"]) == {"de", "en"}, name
            assert field.metadata["description"] == field.metadata["why"]["en"], name


def test_the_case_history_documents_its_action():
    entry = {"at": START, "by": {"subject": "s", "role": "case_worker"}, "from": "submitted",
             "to": "in_review", "reason": None, "action": "in_review"}
    dumped = HistoryEntrySchema().dump(entry)
    assert dumped["action"] == "in_review"
    assert dumped["from"] == "submitted"
    assert HistoryEntrySchema().dump(dumped) == dumped


def test_a_dumped_case_page_dumps_to_itself():
    company = {"company_name": "Beispiel GmbH", "role": "director"}
    rows = [{"id": "a1", "reference": "P-1", "state": "submitted", "submitted_at": START,
             "on_behalf_of": company, "applicant": {"name": "Anna"}},
            {"id": "a2", "reference": "P-2", "state": "submitted", "on_behalf_of": None}]
    dumped = CasePageSchema().dump({"items": rows, "next": None, "total": 2})
    assert [row["for_company"] for row in dumped["items"]] == [True, False]
    assert "applicant" not in dumped["items"][0]
    assert CasePageSchema().dump(dumped) == dumped
    assert CasePageSchema().dump({"next": None}) == {"next": None}  # not dict.items
