"""Turn an uploaded resume (text, PDF or DOCX) into plain text: only the text is kept.

The kiosk's interview brain reads text, and storing the text alone means no uploaded file (with
its macros, scripts or metadata) is ever served back to anyone.
"""

from __future__ import annotations

import io
from pathlib import PurePath

from hub.errors import InvalidInputError

MAX_CHARS = 100_000


def resume_text(filename: str, data: bytes) -> str:
    suffix = PurePath(filename or "").suffix.lower()
    if data.startswith(b"%PDF") or suffix == ".pdf":
        text = _pdf(data)
    elif data.startswith(b"PK") or suffix == ".docx":
        text = _docx(data)
    elif suffix in ("", ".txt", ".md", ".text"):
        text = data.decode("utf-8", errors="replace")
    else:
        raise InvalidInputError("a resume must be a text, PDF or DOCX file")
    text = "\n".join(line.rstrip() for line in text.replace("\x00", "").splitlines()).strip()
    return text[:MAX_CHARS]


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError) as error:
        raise InvalidInputError(f"the PDF resume could not be read ({error})") from error


def _docx(data: bytes) -> str:
    import zipfile

    from docx import Document

    try:
        document = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise InvalidInputError(f"the DOCX resume could not be read ({error})") from error
    return "\n".join(paragraph.text for paragraph in document.paragraphs)
