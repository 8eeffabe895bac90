"""HR may read a PDF in the browser, and only a PDF: `view_pdf` never turns other bytes (a page
with a script that a compromised kiosk sent as its "report") into an inline document."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hub.media import sniff
from hub.portal.files import MEDIA_CSP, file_response
from hub.views import StoredMedia


def _stored(data: bytes) -> StoredMedia:
    def read(start: int, stop: int) -> Iterator[bytes]:
        yield data[start:stop]

    return StoredMedia("a" * 64, len(data), sniff(data[:16]), read)


def test_a_pdf_asked_for_reading_is_inline_yet_sandboxed_and_unframed() -> None:
    response = file_response(_stored(b"%PDF-1.7\n" + b"x" * 50), "report-K", view_pdf=True)
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'inline; filename="report-K.pdf"'
    assert response.headers["content-security-policy"] == MEDIA_CSP
    assert "frame-ancestors 'none'" in MEDIA_CSP and "sandbox" in MEDIA_CSP


def test_without_asking_a_pdf_stays_a_sandboxed_download() -> None:
    response = file_response(_stored(b"%PDF-1.7\n" + b"x" * 50), "report-K")
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["content-security-policy"] == MEDIA_CSP


@pytest.mark.parametrize("data", [
    b"<html><script>alert(1)</script></html>",
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    b"GIF89a<script>alert(1)</script>",
])
def test_other_bytes_asked_for_reading_stay_what_they_were(data: bytes) -> None:
    plain = file_response(_stored(data), "report-K")
    asked = file_response(_stored(data), "report-K", view_pdf=True)
    for name in ("content-type", "content-disposition", "content-security-policy"):
        assert asked.headers[name] == plain.headers[name], name
    assert "sandbox" in asked.headers["content-security-policy"]
