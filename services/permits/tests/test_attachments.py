import base64
import io
import zipfile

import pytest

from loket_permits.attachments import checked_file, decoded
from loket_permits.exceptions import AttachmentRejected

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48
DOCUMENT = {"id": "site_plan", "max_bytes": 1000, "content_types": ["application/pdf",
                                                                    "image/png"]}


def zipped():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "hello")
    return buffer.getvalue()


def test_type_comes_from_the_content():
    assert checked_file(DOCUMENT, PNG) == "image/png"
    assert checked_file(DOCUMENT, PDF) == "application/pdf"


@pytest.mark.parametrize("content", [EXE, zipped(), b"just text", b"\x00" * 10])
def test_other_types_are_rejected_naming_the_file(content):
    with pytest.raises(AttachmentRejected) as error:
        checked_file(DOCUMENT, content)
    assert error.value.code == "attachment_rejected"
    assert error.value.extra["invalid_params"][0]["name"] == "file"


def test_too_large_is_rejected():
    with pytest.raises(AttachmentRejected, match="not accepted"):
        checked_file(DOCUMENT, PDF + b" " * 1000)


def test_base64_is_checked():
    assert decoded(base64.b64encode(PNG).decode()) == PNG
    with pytest.raises(AttachmentRejected):
        decoded("not base64!")
