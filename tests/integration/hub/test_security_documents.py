"""Finding 3: one resume stalls every kiosk. A 110 KB DOCX whose document.xml inflates to 32 MB
was parsed inside the async request: every kiosk call waited 15 s and the hub grew by 280 MB.

Resumes are now read in a confined child process, off the event loop, within limits on inflated
size, ratio, parts, nesting and time. Each bomb below is refused with a sentence next to the
file field, while a kiosk keeps getting answers, and the hub's own memory stays where it was.
"""

from __future__ import annotations

import io
import resource
import threading
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from tests.integration.hub.attack_support import API, Arena, arena
from tests.integration.hub.portal_support import PASSWORD, SESSION_FORM
from tests.integration.hub.support import serve_in_thread

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
)


def _docx(body: bytes, extra: int = 0) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", TYPES)
        archive.writestr("word/document.xml", body)
        for index in range(extra):
            archive.writestr(f"word/media/part{index}.xml", b"")
    return out.getvalue()


def inflating_docx() -> bytes:
    """The finding's file: document.xml of 32 MB, compressed to ~100 KB."""
    paragraph = b"<w:p><w:r><w:t>" + b"A" * 1000 + b"</w:t></w:r></w:p>"
    body = b"<w:document " + W.encode() + b"><w:body>" + paragraph * 32_000
    return _docx(body + b"</w:body></w:document>")


def many_part_docx() -> bytes:
    return _docx(b"<w:document " + W.encode() + b"/>", extra=5_000)


def nested_docx() -> bytes:
    depth = 100_000
    body = b"<w:document " + W.encode() + b">" + b"<w:p>" * depth + b"</w:p>" * depth
    return _docx(body + b"</w:document>")


def entity_docx() -> bytes:
    """The XML form of a bomb: entities that expand a billion-fold."""
    lol = b'<!DOCTYPE d [<!ENTITY a "' + b"A" * 100 + b'">'
    for level in range(1, 10):
        lol += b"<!ENTITY " + bytes([97 + level]) + b' "' + (b"&" + bytes([96 + level]) + b";") * 10
        lol += b'">'
    lol += b"]>"
    return _docx(lol + b"<w:document " + W.encode() + b"><w:t>&j;</w:t></w:document>")


def pdf_stream_bomb() -> bytes:
    """A PDF whose one page content stream inflates from ~200 KB to 200 MB."""
    inflated = zlib.compress(b"BT /F1 12 Tf (A) Tj ET\n" * (200 * 2**20 // 23), 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(inflated)
        + inflated
        + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (5, xref))
    return out.getvalue()


BOMBS: dict[str, tuple[Callable[[], bytes], str, str]] = {
    "inflating DOCX": (inflating_docx, "cv.docx", "unpacks to far more"),
    "many-part DOCX": (many_part_docx, "cv.docx", "parts"),
    "deeply nested DOCX": (nested_docx, "cv.docx", "nests"),
    "entity-expansion DOCX": (entity_docx, "cv.docx", "DTD"),
    "compressed PDF stream": (pdf_stream_bomb, "cv.pdf", "unpacks to far more"),
}


@pytest.fixture
def two(tmp_path: Path) -> Iterator[Arena]:
    with arena(tmp_path / "hub", "", cookie_secure=False) as built:  # served over plain http
        yield built


def _csrf(http: httpx.Client, path: str) -> str:
    page = http.get(path).text
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize("bomb", list(BOMBS))
def test_a_document_bomb_is_refused_while_kiosks_keep_being_answered(
    two: Arena, bomb: str
) -> None:
    make, filename, reason = BOMBS[bomb]
    data = make()
    assert len(data) < 2 * 2**20, "a bomb is small on the wire"
    with serve_in_thread(two.app()) as url, httpx.Client(base_url=url, timeout=60) as http:
        login = {"email": two.a.users["hr"], "password": PASSWORD}
        http.post("/login", data={**login, "csrf_token": _csrf(http, "/login")})
        token = _csrf(http, "/sessions/new")
        baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        answered: list[float] = []
        done = threading.Event()

        def kiosk_pings() -> None:
            with httpx.Client(base_url=url, timeout=30, headers=two.a.kiosk) as kiosk:
                while not done.is_set():
                    started = time.monotonic()
                    assert kiosk.get(f"{API}/whoami").status_code == 200
                    answered.append(time.monotonic() - started)
                    time.sleep(0.02)

        pinger = threading.Thread(target=kiosk_pings)
        pinger.start()
        started = time.monotonic()
        try:
            response = http.post(
                "/sessions/new",
                data={**SESSION_FORM, "csrf_token": token},
                files={"resume": (filename, data)},
            )
        finally:
            done.set()
            pinger.join(30)
        took = time.monotonic() - started
    assert response.status_code == 422, (bomb, response.status_code)
    assert 'id="error-resume"' in response.text and reason in response.text, bomb
    assert took < 15, f"{bomb}: the refusal took {took:.1f} s"
    assert answered and max(answered) < 1.0, f"{bomb}: a kiosk waited {max(answered):.2f} s"
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - baseline) / 1024
    assert grown_mb < 64, f"{bomb}: the hub's process grew by {grown_mb:.0f} MB"


def test_an_honest_resume_still_reads(two: Arena) -> None:
    body = b"<w:document " + W.encode() + b"><w:body>"
    body += b"<w:p><w:r><w:t>Ada Lovelace</w:t></w:r></w:p>" * 3 + b"</w:body></w:document>"
    browser = two.browser(two.a.users["hr"])
    files = {"resume": ("cv.docx", _docx(body))}
    response = browser.post("/sessions/new", SESSION_FORM, page="/sessions/new", files=files)
    assert response.status_code == 303, response.text
