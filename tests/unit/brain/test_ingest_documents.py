"""Documents to text, and every bad input as a specific ResumeError."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen import canvas

from kiosk.ingest import (
    MAX_BYTES,
    MAX_TEXT_CHARS,
    ResumeError,
    ResumeProblem,
    parse_resume,
    read_document,
    read_document_bytes,
)

RESUME_LINES = ["Jane Doe", "Senior Backend Engineer, Acme Payments (2019 - present)",
                "Python, PostgreSQL, Kafka and Kubernetes in production."]


def text_pdf(lines: list[str]) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    for i, line in enumerate(lines):
        page.drawString(72, 750 - 20 * i, line)
    page.save()
    return buffer.getvalue()


def test_pdf_text_is_extracted() -> None:
    result = read_document_bytes(text_pdf(RESUME_LINES), "cv.pdf")
    assert result.source_format == "pdf"
    assert "Acme Payments" in result.text and "Kubernetes" in result.text
    assert not result.ocr_used


def test_docx_paragraphs_and_tables_are_extracted(tmp_path: Path) -> None:
    document = docx.Document()
    for line in RESUME_LINES:
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Skills"
    table.rows[0].cells[1].text = "Terraform"
    path = tmp_path / "cv.docx"
    document.save(str(path))
    result = read_document(path)
    assert result.source_format == "docx"
    assert "Acme Payments" in result.text and "Terraform" in result.text


def test_encrypted_pdf_is_refused_with_a_specific_message() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(RESUME_LINES))))
    writer.encrypt(user_password="secret", owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ResumeError) as caught:
        read_document_bytes(buffer.getvalue(), "locked.pdf")
    assert caught.value.problem == ResumeProblem.ENCRYPTED
    assert "password" in str(caught.value)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(ResumeError) as caught:
        read_document(path)
    assert caught.value.problem == ResumeProblem.EMPTY


def test_fifty_megabyte_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.pdf"
    with path.open("wb") as handle:  # sparse: no 50 MB written to the disk
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(ResumeError) as caught:
        read_document(path)
    assert caught.value.problem == ResumeProblem.TOO_LARGE
    assert "50 MB" in str(caught.value) and str(MAX_BYTES // 2**20) in str(caught.value)


def test_binary_junk_named_pdf() -> None:
    with pytest.raises(ResumeError) as caught:
        read_document_bytes(os.urandom(4096), "resume.pdf")
    assert caught.value.problem == ResumeProblem.NOT_A_PDF
    assert "not a PDF" in str(caught.value)


def test_truncated_pdf_is_reported_as_damaged() -> None:
    data = text_pdf(RESUME_LINES)
    with pytest.raises(ResumeError) as caught:
        read_document_bytes(data[: len(data) // 3] + os.urandom(50), "cut.pdf")
    assert caught.value.problem in (ResumeProblem.DAMAGED, ResumeProblem.NO_TEXT)


def test_binary_junk_named_txt() -> None:
    with pytest.raises(ResumeError) as caught:
        read_document_bytes(b"\x00\x01\x02" * 500, "resume.txt")
    assert caught.value.problem == ResumeProblem.BINARY


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ResumeError) as caught:
        read_document(tmp_path / "nope.pdf")
    assert caught.value.problem == ResumeProblem.MISSING


def test_blank_pdf_without_images_says_no_text() -> None:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.showPage()
    page.save()
    with pytest.raises(ResumeError) as caught:
        read_document_bytes(buffer.getvalue(), "blank.pdf")
    assert caught.value.problem == ResumeProblem.NO_TEXT
    assert "OCR" in str(caught.value)


def test_plain_text_with_cp1252_bytes() -> None:
    result = read_document_bytes("Café Python developer".encode("cp1252"), "cv.txt")
    assert result.text.startswith("Caf") and "Python" in result.text


DEMO_RESUME = (Path(__file__).resolve().parents[3] / "resources" / "demo" / "resume.txt")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16",
                                      "utf-16-le", "utf-16-be", "utf-32"])
def test_text_resume_in_any_common_encoding_reads_as_written(encoding: str) -> None:
    """Detected from the bytes (a BOM, UTF-16's zero bytes, else the likeliest code page)."""
    text = DEMO_RESUME.read_text(encoding="utf-8")
    if encoding == "cp1252":  # cp1252 has the en dash and curly quotes Latin-1 lacks
        text = text.replace("(2021 - present)", "(2021 – present)").replace("'", "’")
    result = read_document_bytes(text.encode(encoding), "cv.txt")
    assert result.text == text
    assert parse_resume(result.text).name == "José Ñúñez-Øberg"


@pytest.mark.parametrize(("text", "encoding"), [
    ("Łukasz Żółkiewski\nInżynier oprogramowania, Kraków\nPython, Java", "cp1250"),
    ("Ayşe Yılmaz\nYazılım Mühendisi, İstanbul\nPython", "cp1254"),
    ("Иван Петров\nИнженер-программист, Москва\nPython, Java", "cp1251"),
])
def test_other_code_pages_are_detected_not_assumed(text: str, encoding: str) -> None:
    assert read_document_bytes(text.encode(encoding), "cv.txt").text == text


def test_six_megabytes_of_text_is_refused_with_the_limit() -> None:
    """Under the 10 MB file limit, but no resume has 6 million characters: refused, not
    stored whole."""
    line = "Python developer with PostgreSQL and Kafka experience in production systems.\n"
    data = (line * (6 * 2**20 // len(line))).encode()
    with pytest.raises(ResumeError) as caught:
        read_document_bytes(data, "cv.txt")
    assert caught.value.problem == ResumeProblem.TOO_LONG
    assert f"{MAX_TEXT_CHARS:,}" in str(caught.value) and "cv.txt" in str(caught.value)
    assert read_document_bytes((line * 1000).encode(), "cv.txt").text.startswith("Python")


@pytest.mark.parametrize("data", [b"Jane Doe, Python developer\n" * 20,  # text named .docx
                                  b"PK\x03\x04" + os.urandom(600)])  # a zip cut short
def test_docx_that_is_not_a_zip_says_not_a_valid_docx(data: bytes) -> None:
    with pytest.raises(ResumeError) as caught:
        read_document_bytes(data, "cv.docx")
    assert caught.value.problem == ResumeProblem.DAMAGED
    assert "cv.docx is not a valid DOCX file" in str(caught.value)
    assert "archive" not in str(caught.value).split("(")[0]


def test_zip_named_docx_without_a_document_says_so() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photo.txt", "not a word document")
    with pytest.raises(ResumeError) as caught:
        read_document_bytes(buffer.getvalue(), "cv.docx")
    assert "not a valid DOCX file" in str(caught.value)


def test_docx_tables_stay_where_they_are_in_the_document(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Experience")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Engineer, Acme Ltd"
    table.rows[0].cells[1].text = "2019 - 2021"
    document.add_paragraph("Education")
    document.add_paragraph("BSc Physics, University of Leeds, 2018")
    path = tmp_path / "cv.docx"
    document.save(str(path))
    lines = read_document(path).text.splitlines()
    assert lines.index("Engineer, Acme Ltd | 2019 - 2021") < lines.index("Education")
