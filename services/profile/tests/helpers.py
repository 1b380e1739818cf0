"""Shared data and helpers of the profile tests."""
import uuid

from kombu import Connection

from loket_common.events import Event
from loket_common.topology import event_exchange

TENANT = "musterstadt"
CLAIMS = {"given_name": "Erika", "family_name": "Mustermann",
          "email": "erika.mustermann@example.org", "trust_level": "substantial"}
ADDRESS = {"street": "Heidestraße", "house_number": "17", "postal_code": "51147",
           "city": "Köln", "country": "DE"}
PHONE = "+49 221 5550173"
COMPANY = {"company_name": "Mustermann Sanitär GmbH", "legal_form": "GmbH",
           "register_number": "HRB 12345", "email": "info@mustermann-sanitaer.example",
           "address": {"street": "Werkstattweg", "house_number": "3", "postal_code": "51149",
                       "city": "Köln"}}
# Everything about the test person that must never be readable in the database.
PLAINTEXTS = ("Erika", "Mustermann", "erika.mustermann@example.org", "Heidestraße",
              "5550173", "Mustermann Sanitär", "mustermann-sanitaer", "HRB 12345",
              "Werkstattweg", "Sachbearbeiterin Weber", "AZ-2026-0042")
WEBER = {"subject": "staff:weber", "name": "Sachbearbeiterin Weber", "role": "case_worker"}


def new_subject() -> str:
    """A fresh pseudonymous resident id, as the gateway derives one."""
    return "r-" + uuid.uuid4().hex


def publish(config, source, event_type, data, tenant=TENANT, event_id=None):
    """Publish an event as service ``source`` would (persistent, confirmed); return it."""
    event = Event(source=source, type=event_type, tenant=tenant, data=data,
                  **({"id": event_id} if event_id else {}))
    exchange = event_exchange(source)
    with Connection(config["AMQP_URI"], transport_options={"confirm_publish": True}) as conn:
        conn.Producer().publish(event.to_message(), exchange=exchange, routing_key=event_type,
                                declare=[exchange], delivery_mode=2, serializer="json")
    return event



