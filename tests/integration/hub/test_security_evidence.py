"""Findings 1 and 2: evidence a kiosk uploads.

1. A kiosk declared `text/html` for a snapshot whose bytes were a page with a script; the hub
   served it as `text/html` on the portal's origin. Media are now served by what their bytes are.
2. Kiosk A learnt that B held a blob (HEAD 200 and its size), pointed its own session's report at
   it and A's HR downloaded B's PDF; after B's deletion the file stayed. Blobs are now namespaced
   per organisation, and deletion removes bytes nothing refers to any more.
"""

from __future__ import annotations

import hashlib
import io
import os
import time
import uuid
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.integration.hub.attack_support import API, Arena, arena, created, event, media, report

from contract.sessionkey import new_session_key

SCRIPT = b"<script>fetch('/admin/users',{method:'POST'})</script>"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 32


def _wav() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"\x00\x00" * 160)
    return out.getvalue()


#: (bytes, what the kiosk declares, the type served, served inline)
CASES = [
    (b"<!doctype html><html><body>" + SCRIPT + b"</body></html>", "text/html", None, False),
    (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "image/svg+xml", None, False),
    (b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'>" + SCRIPT, "image/jpeg",
     None, False),
    (b"  \n<html>" + SCRIPT, "image/png", None, False),
    (JPEG + b"<html>" + SCRIPT, "text/html", "image/jpeg", True),  # a JPEG/HTML polyglot
    (PNG, "text/html", "image/png", True),
    (JPEG, "application/xhtml+xml", "image/jpeg", True),
    (b"GIF89a" + b"\x01\x00\x01\x00" + SCRIPT, "text/html", "image/gif", True),
    (_wav(), "text/html", "audio/wav", True),
    (b"%PDF-1.4\n1 0 obj<</JS(app.alert(1))>>endobj", "text/html", "application/pdf", False),
    (b"MZ\x90\x00executable", "image/jpeg", None, False),
    (b"", "image/jpeg", None, False),
]


@pytest.fixture
def two(tmp_path: Path, database_url: str) -> Iterator[Arena]:
    with arena(tmp_path / "hub", database_url) as built:
        yield built


def test_media_are_served_as_what_their_bytes_are_never_as_declared(two: Arena) -> None:
    kiosk_session, hub_id = two.walk_in(two.a)
    admin = two.browser(two.a.users["admin"])
    for data, declared, served, inline in CASES:
        ref = {**two.put_blob(two.a, data), "content_type": declared}
        flag = f"flag-{uuid.uuid4().hex}"
        pushed = two.push(two.a, media(ref), event(kiosk_session, flag, ref))
        assert pushed.status_code == 200, pushed.text
        response = admin.http.get(f"/sessions/{hub_id}/media/{ref['sha256']}")
        assert response.status_code == 200
        content_type = response.headers["content-type"]
        disposition = response.headers.get("content-disposition", "")
        assert response.content == data
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "sandbox" in response.headers["content-security-policy"]
        assert "no-store" in response.headers["cache-control"]
        if served is None:
            assert content_type == "application/octet-stream", (declared, content_type)
            assert disposition.startswith("attachment"), declared
        else:
            assert content_type == served, (declared, content_type)
            assert disposition.startswith("inline" if inline else "attachment"), served
        assert not any(word in content_type for word in ("html", "svg", "xml", "text"))


def test_a_report_that_is_not_a_pdf_downloads_as_bytes(two: Arena) -> None:
    kiosk_session, hub_id = two.walk_in(two.a)
    ref = {**two.put_blob(two.a, b"<html>" + SCRIPT), "content_type": "application/pdf"}
    assert two.push(two.a, media(ref), report(kiosk_session, ref)).status_code == 200
    response = two.browser(two.a.users["hr"]).http.get(f"/sessions/{hub_id}/report.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers["content-disposition"].startswith("attachment")


def test_another_organisations_blob_is_unknown_to_a_kiosk_by_its_hash(two: Arena) -> None:
    secret = b"%PDF-1.4 B's confidential report " + uuid.uuid4().bytes
    b_session, b_hub_id = two.walk_in(two.b, "Bea Candidate")
    ref = two.put_blob(two.b, secret)
    assert two.push(two.b, media(ref), report(b_session, ref)).status_code == 200
    sha = ref["sha256"]

    head = two.api.head(f"{API}/blobs/{sha}", headers=two.a.kiosk)
    assert head.status_code == 404 and "x-blob-size" not in head.headers
    assert two.api.head(f"{API}/blobs/{sha}", headers=two.b.kiosk).status_code == 200

    a_session, a_hub_id = two.walk_in(two.a)
    stolen = two.push(two.a, report(a_session, ref))
    assert stolen.status_code == 409 and stolen.json()["missing"] == [sha]
    stolen_media = two.push(two.a, media(ref), report(a_session, ref))
    assert stolen_media.status_code == 409
    hr_a = two.browser(two.a.users["hr"])
    assert hr_a.http.get(f"/sessions/{a_hub_id}/report.pdf").status_code == 404
    assert hr_a.http.get(f"/sessions/{a_hub_id}/media/{sha}").status_code == 404
    assert hr_a.http.get(f"/sessions/{b_hub_id}/media/{sha}").status_code == 404


def test_a_kiosk_that_holds_the_same_bytes_gets_its_own_copy(two: Arena) -> None:
    """Uploading identical bytes (a shared demo file, say) is no way into the other's copy."""
    data = b"%PDF-1.4 the same bytes in both organisations"
    sha = hashlib.sha256(data).hexdigest()
    b_session, b_hub_id = two.walk_in(two.b)
    a_session, a_hub_id = two.walk_in(two.a)
    for org, session in ((two.b, b_session), (two.a, a_session)):
        ref = two.put_blob(org, data)
        assert two.push(org, media(ref), report(session, ref)).status_code == 200
    two.browser(two.b.users["hr"]).post(
        f"/sessions/{b_hub_id}/delete", {"reason": "candidate asked"}, page=f"/sessions/{b_hub_id}"
    )
    assert two.api.head(f"{API}/blobs/{sha}", headers=two.b.kiosk).status_code == 404
    assert two.api.head(f"{API}/blobs/{sha}", headers=two.a.kiosk).status_code == 200
    hr_a = two.browser(two.a.users["hr"])
    assert hr_a.http.get(f"/sessions/{a_hub_id}/report.pdf").content == data


def test_deletion_removes_the_bytes_from_disk(two: Arena) -> None:
    secret = b"%PDF-1.4 erase me " + uuid.uuid4().bytes
    b_session, b_hub_id = two.walk_in(two.b)
    ref = two.put_blob(two.b, secret)
    snap = two.put_blob(two.b, JPEG + uuid.uuid4().bytes)
    pushed = two.push(
        two.b, media(ref), report(b_session, ref), media(snap), event(b_session, "f1", snap)
    )
    assert pushed.status_code == 200
    hr_b = two.browser(two.b.users["hr"])
    deleted = hr_b.post(
        f"/sessions/{b_hub_id}/delete", {"reason": "candidate asked"}, page=f"/sessions/{b_hub_id}"
    )
    assert deleted.status_code == 303
    on_disk = [p for p in two.hub.blobs.root.rglob("*") if p.is_file()]
    assert all(p.read_bytes() not in (secret,) for p in on_disk)
    assert not any(p.name in (ref["sha256"], snap["sha256"]) for p in on_disk)
    assert two.api.head(f"{API}/blobs/{ref['sha256']}", headers=two.b.kiosk).status_code == 404


def test_bytes_uploaded_but_never_referenced_are_swept_after_a_day(two: Arena) -> None:
    """A kiosk (or an attacker with its token) may upload bytes no record ever refers to; the
    retention run removes them once they are a day old (younger ones may belong to a push
    still under way)."""
    old = two.put_blob(two.b, b"%PDF-1.4 uploaded, never referenced")
    young = two.put_blob(two.b, b"%PDF-1.4 uploaded a moment ago")
    used_session, _ = two.walk_in(two.b)
    used = two.put_blob(two.b, JPEG + b"referenced")
    assert two.push(two.b, media(used), event(used_session, "f-used", used)).status_code == 200
    day_old = time.time() - 2 * 86400
    for ref in (old, used):
        path = two.hub.blobs.path_of(two.b.org_id, str(ref["sha256"]))
        os.utime(path, (day_old, day_old))
    result = two.hub.records.purge_expired()
    assert result.blobs_deleted == 1
    present = {
        str(ref["sha256"]): two.api.head(f"{API}/blobs/{ref['sha256']}", headers=two.b.kiosk)
        for ref in (old, young, used)
    }
    assert [r.status_code for r in present.values()] == [404, 200, 200]
    assert two.push(two.b, created(str(uuid.uuid4()), new_session_key())).status_code == 200
