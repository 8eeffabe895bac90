"""Turn an uploaded resume (text, PDF or DOCX) into plain text: only the text is kept.

The kiosk's interview brain reads text, and storing the text alone means no uploaded file (with
its macros, scripts or metadata) is ever served back to anyone. PDF and DOCX are read in a
confined child process (`hub.documents`), never in the request's own process or event loop.
"""

from __future__ import annotations

from pathlib import PurePath

from hub.documents.limits import DocumentLimits, DocumentRefusedError
from hub.documents.sandbox import read_document
from hub.documents.text import MAX_CHARS
from hub.errors import InvalidInputError


def _kind(filename: str, data: bytes) -> str:
    suffix = PurePath(filename or "").suffix.lower()
    if data.startswith(b"%PDF") or suffix == ".pdf":
        return "pdf"
    if data.startswith(b"PK") or suffix == ".docx":
        return "docx"
    if suffix in ("", ".txt", ".md", ".text"):
        return "text"
    raise InvalidInputError("a resume must be a text, PDF or DOCX file")


async def resume_text(filename: str, data: bytes, limits: DocumentLimits | None = None) -> str:
    kind = _kind(filename, data)
    if kind == "text":
        text = data.decode("utf-8", errors="replace")
    else:
        try:
            text = await read_document(kind, data, limits or DocumentLimits())
        except DocumentRefusedError as error:
            raise InvalidInputError(str(error)) from error
    text = "\n".join(line.rstrip() for line in text.replace("\x00", "").splitlines()).strip()
    return text[:MAX_CHARS]
