"""Turn a resume or job-description file (PDF, DOCX, text) into plain text, or say why not.

The format is decided by the bytes, not the file name, so junk renamed `.pdf` gets a specific
message rather than a parser traceback. Each failure maps to one `ResumeProblem`.
"""

from __future__ import annotations

import io
import logging
import time
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.ingest.encoding import decode_single_byte
from kiosk.ingest.errors import ResumeError, ResumeProblem

_log = logging.getLogger(__name__)

#: A resume is a few pages; anything larger is a mistake or an attack on memory.
MAX_BYTES = 10 * 1024 * 1024
#: Characters of text a resume or job description may have: about 30 dense pages. A scanned
#: PDF may be megabytes, but 6 MB of text is a log file or a mistake, not a resume, and it
#: would be stored and sent to the hub whole.
MAX_TEXT_CHARS = 100_000
#: Fewer extracted characters than this means "no text layer": try OCR.
MIN_TEXT_CHARS = 40
_TEXT_SUFFIXES = {".txt", ".md", ".text", ""}


@dataclass(frozen=True, slots=True)
class ExtractedText:
    """A document's text and how it was obtained."""

    text: str
    source_format: str  # "pdf" | "docx" | "text"
    pages: int = 1
    ocr_used: bool = False
    warnings: tuple[str, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)


def _looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13, 12))
    return controls > len(sample) * 0.05


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text saved without a byte-order mark: every other byte of ASCII text is zero."""
    sample = data[:4096]
    if len(sample) < 8:
        return None
    even_zero = sample[0::2].count(0) / len(sample[0::2])
    odd_zero = sample[1::2].count(0) / len(sample[1::2])
    encoding = "utf-16-le" if odd_zero > 0.3 > even_zero else (
        "utf-16-be" if even_zero > 0.3 > odd_zero else None)
    if encoding is None:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    controls = sum(1 for ch in text[:2048] if ord(ch) < 32 and ch not in "\t\n\r\f")
    return text if controls <= len(text[:2048]) * 0.05 else None


def _decode_text(data: bytes, name: str) -> str:
    """Text in whatever encoding it was saved in: a byte-order mark, UTF-16 without one,
    UTF-8, else the single-byte encoding charset-normalizer finds most likely (Latin-1,
    cp1252, cp1250, ...). Decided from the bytes, never assumed."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    if _looks_binary(data):
        raise ResumeError(
            ResumeProblem.BINARY,
            f"{name} is not a text document (it contains binary data); "
            "please provide a PDF, DOCX or plain-text file",
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    decoded = decode_single_byte(data)
    if decoded is not None:
        _log.info("%s decoded as %s", name, decoded[1])
        return decoded[0]
    return data.decode("cp1252", errors="replace")


def _read_pdf(data: bytes, name: str) -> ExtractedText:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        with warnings.catch_warnings():  # pypdf's complaints go to the log, not the terminal
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise ResumeError(
                    ResumeProblem.ENCRYPTED,
                    f"{name} is password-protected; please provide an unprotected copy",
                )
            pages = list(reader.pages)
            text = "\n".join((page.extract_text() or "") for page in pages)
    except ResumeError:
        raise
    except FileNotDecryptedError as error:
        raise ResumeError(
            ResumeProblem.ENCRYPTED,
            f"{name} is password-protected; please provide an unprotected copy",
        ) from error
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise ResumeError(
            ResumeProblem.DAMAGED, f"{name} is a damaged PDF and cannot be read ({error})"
        ) from error
    if len(text.strip()) >= MIN_TEXT_CHARS:
        return ExtractedText(text=text, source_format="pdf", pages=len(pages))
    return _ocr_pdf(pages, name, text)


def _ocr_pdf(pages: list, name: str, layer_text: str) -> ExtractedText:
    from kiosk.ingest.ocr import MAX_OCR_PAGES, ocr_pdf_pages

    started = time.perf_counter()
    try:
        text = ocr_pdf_pages(pages)
    except Exception as error:  # OCR is best effort: any engine failure becomes a clear message
        _log.warning("OCR failed on %s: %s", name, type(error).__name__)
        text = ""
    elapsed = round(time.perf_counter() - started, 3)
    if len(text.strip()) < MIN_TEXT_CHARS:
        if layer_text.strip():
            return ExtractedText(layer_text, "pdf", len(pages), warnings=("very little text",))
        raise ResumeError(
            ResumeProblem.NO_TEXT,
            f"{name} has no text layer and OCR found no readable text in it (is it a blank or "
            "a photographed page?); please provide a text PDF, DOCX or plain-text resume",
        )
    warnings = ("text was read by OCR from a scanned PDF; check it for errors",)
    if len(pages) > MAX_OCR_PAGES:
        warnings += (f"only the first {MAX_OCR_PAGES} scanned pages were read",)
    return ExtractedText(text, "pdf", len(pages), True, warnings, {"ocr_s": elapsed})


def _not_docx(name: str, why: str) -> ResumeError:
    return ResumeError(
        ResumeProblem.DAMAGED,
        f"{name} is not a valid DOCX file ({why}); open it in Word or LibreOffice and save "
        "it again as .docx or PDF",
    )


def _read_docx(data: bytes, name: str) -> ExtractedText:
    """Paragraphs and table rows in the order they stand in the document, so a table of jobs
    stays under its "Experience" heading."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (KeyError, ValueError, zipfile.BadZipFile) as error:
        raise _not_docx(name, f"its contents are damaged: {error}") from error
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                cells = list(dict.fromkeys(cell.text.strip() for cell in row.cells))
                lines.append(" | ".join(c for c in cells if c))
    return ExtractedText(text="\n".join(lines), source_format="docx")


def _dispatch(data: bytes, name: str) -> ExtractedText:
    suffix = Path(name).suffix.lower()
    if data[:1024].lstrip().startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        return _read_pdf(data, name)
    if suffix == ".pdf":
        raise ResumeError(
            ResumeProblem.NOT_A_PDF,
            f"{name} is named .pdf but is not a PDF (no PDF header); it may be corrupted "
            "or another kind of file",
        )
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zipped:
                is_docx = "word/document.xml" in zipped.namelist()
        except zipfile.BadZipFile:
            raise _not_docx(name, "it is damaged or incomplete") from None
        if is_docx:
            return _read_docx(data, name)
        if suffix == ".docx":
            raise _not_docx(name, "it is a zip archive with no Word document inside")
        raise ResumeError(
            ResumeProblem.UNSUPPORTED, f"{name} is a zip archive, not a Word document"
        )
    if suffix == ".docx":
        raise _not_docx(name, "a .docx file is a zip archive, and this one is not")
    if suffix == ".doc":
        raise ResumeError(
            ResumeProblem.UNSUPPORTED,
            f"{name} is an old-style Word .doc file; save it as .docx or PDF",
        )
    if suffix not in _TEXT_SUFFIXES and _looks_binary(data):
        raise ResumeError(ResumeProblem.UNSUPPORTED, f"{name}: unsupported file type {suffix}")
    return ExtractedText(text=_decode_text(data, name), source_format="text")


def read_document_bytes(data: bytes, name: str = "document") -> ExtractedText:
    """Text of an in-memory document; raises `ResumeError` with a specific message."""
    if len(data) > MAX_BYTES:
        raise ResumeError(
            ResumeProblem.TOO_LARGE,
            f"{name} is {len(data) / 2**20:.0f} MB; the limit is {MAX_BYTES // 2**20} MB "
            "(a resume is usually under 1 MB)",
        )
    if not data.strip():
        raise ResumeError(ResumeProblem.EMPTY, f"{name} is empty")
    started = time.perf_counter()
    result = _dispatch(data, name)
    if not result.text.strip():
        raise ResumeError(ResumeProblem.EMPTY, f"{name} contains no text")
    if len(result.text) > MAX_TEXT_CHARS:
        raise ResumeError(
            ResumeProblem.TOO_LONG,
            f"{name} has {len(result.text):,} characters of text; the limit is "
            f"{MAX_TEXT_CHARS:,} (about 30 pages). Is it the right file? A resume is usually "
            "under 10,000 characters",
        )
    timings = {**result.timings, "read_s": round(time.perf_counter() - started, 3)}
    return ExtractedText(
        result.text, result.source_format, result.pages, result.ocr_used, result.warnings, timings
    )


def read_document(path: Path | str) -> ExtractedText:
    """Text of a file on disk; a size check runs before the file is read into memory."""
    path = Path(path)
    if not path.is_file():
        raise ResumeError(ResumeProblem.MISSING, f"{path} does not exist or is not a file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ResumeError(
            ResumeProblem.TOO_LARGE,
            f"{path.name} is {size / 2**20:.0f} MB; the limit is {MAX_BYTES // 2**20} MB "
            "(a resume is usually under 1 MB)",
        )
    return read_document_bytes(path.read_bytes(), path.name)


__all__ = ["MAX_BYTES", "MAX_TEXT_CHARS", "ExtractedText", "read_document", "read_document_bytes"]
