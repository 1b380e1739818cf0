"""Shared data for the permits tests."""
import base64
from datetime import UTC, datetime

from loket_permits.type_catalogue import TypeCatalogue

TENANT = "musterstadt"
TYPES = TypeCatalogue.load()
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PARKING = {"licence_plate": "M-AB 1234", "vehicle_holder": "Erika Mustermann",
           "address": {"street": "Hauptstraße 1", "postal_code": "12345",
                       "city": "Musterstadt"},
           "zone": "A", "duration_months": 13}
WORKER = {"subject": "token:00000000000000a1", "role": "case_worker"}


def applicant(n=1):
    return {"subject": f"subject-{n}", "name": f"Erika {n}", "language": "en"}


def b64(content):
    return base64.b64encode(content).decode()


def submitted_case(desk, n=1):
    case = desk.create(applicant(n), "residents-parking", PARKING, None)
    desk.add_attachment(f"subject-{n}", case["id"], "vehicle_registration", "a.pdf", b64(PDF))
    return desk.submit(f"subject-{n}", case["id"])
