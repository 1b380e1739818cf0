"""The contract's schemas: what services dump, the gateway can dump again unchanged."""
from datetime import UTC, date, datetime

import pytest

from loket_contracts.appointments.lottery import (
    EntryFormSchema,
    EntryRequestSchema,
    EntrySchema,
    ReleaseSchema,
)
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


def test_a_dumped_lottery_entry_dumps_to_itself_with_its_booking():
    stored = {"reference": "LOTT-ERY1", "state": "allocated", "service_id": "passport",
              "day": "2026-05-04", "office_id": None, "draw_at": START, "language": "de",
              "booking_reference": "ABCD-EFGH",
              "booking": {"office_id": "rathaus", "start": START, "end": START}}
    dumped = EntrySchema().dump(stored)
    assert dumped["booking"] == {"reference": "ABCD-EFGH", "office_id": "rathaus",
                                 "start": "2026-05-04T08:30:00+00:00",
                                 "end": "2026-05-04T08:30:00+00:00"}
    assert EntrySchema().dump(dumped) == dumped
    pending = EntrySchema().dump({"reference": "LOTT-ERY2", "state": "pending"})
    assert pending["booking"] is None
    assert EntrySchema().dump(pending) == pending


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


def test_a_service_may_require_a_sign_in_level_but_not_with_a_lottery():
    from marshmallow import ValidationError

    from loket_contracts.appointments.catalogue import OfferedServiceSchema
    from loket_contracts.appointments.schemas import BookingContactSchema

    text = {"de": "T", "en": "T"}
    service = {"id": "passport", "name": text, "description": text, "duration_minutes": 15,
               "fee_cents": 0}
    assert OfferedServiceSchema().load(service)["identity_required"] is None
    assert OfferedServiceSchema().load({**service, "identity_required": "high"})[
        "identity_required"] == "high"
    for wrong in ({"identity_required": "very"},
                  {"identity_required": "low", "booking_policy": {"release_mode": "lottery"}}):
        with pytest.raises(ValidationError) as invalid:
            OfferedServiceSchema().load({**service, **wrong})
        assert "identity_required" in invalid.value.messages
    # The sign-in's level and name reach the service only through the gateway's contact.
    assert {"trust_level", "identity_name"} <= set(BookingContactSchema().fields)
    assert "identity_name" not in ContactFormSchema().fields
