"""Upload file names: what is kept, what is cleaned, what is refused (issue 12)."""
import pytest
from marshmallow import ValidationError

from loket_contracts.permits.applications import AttachmentSchema, FileSchema
from loket_contracts.permits.file_names import MAX_LENGTH, clean_file_name
from loket_contracts.permits.schemas import UploadSchema

KEPT = ["Antrag – Kopie.pdf", "Änderung für Müller, Größe ß.pdf", "Заявление.pdf",
        "طلب.pdf", "申请.pdf", "Scan 📄👨‍👩‍👧.pdf", 'plan "1" <a>.pdf', "x" * MAX_LENGTH]
CLEANED = {
    "rechnung\u202egnp.exe": "rechnunggnp.exe",
    "a\u2066b\u2069\u200e\u200f\u061c\ufeffc.pdf": "abc.pdf",
    "scan\x00\x07\x1b\x7f\x85.pdf": "scan.pdf",
    "two\r\nlines\u2028\u2029.pdf": "twolines.pdf",
    "..\\..\\etc/passwd": ".._.._etc_passwd",
    "A\u0308rger.pdf": "Ärger.pdf",
    "  space\t.pdf \n": "space.pdf",
    "half\ud800.pdf": "half.pdf",
}
REFUSED = ["", "   ", "\u202e\x00\x07 ", "\ufeff", "x" * (MAX_LENGTH + 1)]


@pytest.mark.parametrize("name", KEPT)
def test_names_people_write_are_kept(name):
    assert clean_file_name(name) == name
    assert UploadSchema().load({"document_id": "d", "filename": name})["filename"] == name


@pytest.mark.parametrize(("sent", "kept"), CLEANED.items())
def test_hidden_or_misleading_characters_are_cleaned(sent, kept):
    assert clean_file_name(sent) == kept
    assert clean_file_name(kept) == kept
    assert UploadSchema().load({"document_id": "d", "filename": sent})["filename"] == kept


@pytest.mark.parametrize("name", REFUSED)
def test_a_name_with_nothing_visible_or_too_long_is_refused(name):
    with pytest.raises(ValidationError) as refused:
        UploadSchema().load({"document_id": "d", "filename": name})
    assert "filename" in refused.value.messages


def test_names_stored_before_cleaning_are_cleaned_when_dumped():
    assert AttachmentSchema().dump({"filename": "a\u202egnp.exe"})["filename"] == "agnp.exe"
    assert FileSchema().dump({"filename": "a\x00.png", "content_type": "image/png",
                              "content_base64": ""})["filename"] == "a.png"
    assert AttachmentSchema().dump({"id": "t1"}) == {"id": "t1"}
