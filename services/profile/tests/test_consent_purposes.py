"""The consent purposes are complete data in both languages."""
from loket_profile.consents import purposes


def test_every_purpose_has_titles_and_texts_in_german_and_english():
    catalogue = purposes()
    assert [entry["purpose"] for entry in catalogue] == [
        "email_status_updates", "appointment_reminders", "satisfaction_survey"]
    for entry in catalogue:
        assert set(entry) == {"purpose", "title_de", "title_en", "text_de", "text_en"}
        assert all(isinstance(value, str) and value.strip() for value in entry.values())
        assert entry["title_de"] != entry["title_en"] and entry["text_de"] != entry["text_en"]
