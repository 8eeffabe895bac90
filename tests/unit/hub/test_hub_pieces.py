"""Blob names, resume extraction and password hashing: the hub's small, sharp edges."""

from __future__ import annotations

import asyncio
import hashlib
import io
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from hub.blobs import BlobMismatchError, BlobNameError, BlobTooLargeError, FolderBlobStore
from hub.errors import InvalidInputError
from hub.resume import resume_text
from hub.security.password_policy import WeakPasswordError
from hub.security.passwords import hash_password, verify_password


async def _chunks(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


def test_blob_store_refuses_traversal_names_and_mismatched_or_oversized_bytes(
    tmp_path: Path,
) -> None:
    store = FolderBlobStore(tmp_path / "blobs")
    org = str(uuid.uuid4())
    for name in ("../../etc/passwd", "A" * 64, "a" * 63, "/" + "a" * 63, "a" * 64 + "/.."):
        with pytest.raises(BlobNameError):
            store.path_of(org, name)
    for namespace in ("..", "", "../" + org, org.upper(), org + "/x", "default"):
        with pytest.raises(BlobNameError):
            store.path_of(namespace, "a" * 64)
    data = b"hello blob"
    sha = hashlib.sha256(data).hexdigest()
    with pytest.raises(BlobMismatchError):
        asyncio.run(store.put_stream(org, sha, _chunks(b"other"), 100))
    with pytest.raises(BlobTooLargeError):
        asyncio.run(store.put_stream(org, sha, _chunks(data, data), 12))
    assert not store.exists(org, sha)
    assert asyncio.run(store.put_stream(org, sha, _chunks(data[:3], data[3:]), 100)).created
    assert not asyncio.run(store.put_stream(org, sha, _chunks(data), 100)).created
    assert store.read(org, sha) == data
    other = str(uuid.uuid4())
    assert not store.exists(other, sha) and store.size(other, sha) is None
    assert asyncio.run(store.put_stream(other, sha, _chunks(data), 100)).created
    store.delete(org, sha)
    assert store.read(other, sha) == data and not store.exists(org, sha)
    assert not any((tmp_path / "blobs" / ".incoming").iterdir())


def test_resume_text_from_text_pdf_and_docx() -> None:
    from docx import Document
    from reportlab.pdfgen import canvas

    def read(name: str, data: bytes) -> str:
        return asyncio.run(resume_text(name, data))

    assert read("cv.txt", b"Python\r\nSQL\n") == "Python\nSQL"
    pdf = io.BytesIO()
    page = canvas.Canvas(pdf)
    page.drawString(72, 720, "Ten years of Python")
    page.save()
    assert "Ten years of Python" in read("cv.pdf", pdf.getvalue())
    docx = io.BytesIO()
    document = Document()
    document.add_paragraph("Kubernetes and Go")
    document.save(docx)
    assert read("cv.docx", docx.getvalue()) == "Kubernetes and Go"
    document.add_paragraph("Tab\there")
    document.save(docx := io.BytesIO())
    assert read("cv.docx", docx.getvalue()) == "Kubernetes and Go\nTab\there"
    with pytest.raises(InvalidInputError):
        read("cv.pdf", b"%PDF-1.4 garbage")
    with pytest.raises(InvalidInputError):
        read("cv.exe", b"MZ")


def test_passwords_are_argon2_hashed_and_checked() -> None:
    hashed = hash_password("correct horse battery")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "correct horse battery")
    assert not verify_password(hashed, "wrong")
    assert not verify_password(None, "anything")
    with pytest.raises(WeakPasswordError):
        hash_password("short")
