"""Shared data for the permits tests."""
import base64

TENANT = "musterstadt"
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
