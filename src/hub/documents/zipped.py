"""The text of a DOCX, read member by member within `DocumentLimits`, never trusting the sizes
the archive declares: inflation is counted as it happens and stopped at the limits.

Only `word/document.xml` is read (python-docx would load every part, embedded files included);
XML with a DTD is refused (entity expansion is the XML form of a zip bomb), and elements nested
deeper than the limit are refused before they are built.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from xml.parsers import expat

from hub.documents.limits import DocumentLimits, DocumentRefusedError

BODY = "word/document.xml"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main "  # expat: "uri name"
_CHUNK = 64 * 1024


def _inflate(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: DocumentLimits
) -> Iterator[bytes]:
    """Yield the member's bytes chunk by chunk, refusing once it inflates past a limit."""
    allowed = min(limits.max_inflated_bytes, max(info.compress_size, 1) * limits.max_ratio)
    inflated = 0
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            inflated += len(chunk)
            if inflated > allowed:
                raise DocumentRefusedError(
                    "the DOCX file unpacks to far more than a resume could hold "
                    f"(over {allowed // 2**20 or 1} MB from {max(info.compress_size, 1)} bytes); "
                    "save it again from a word processor, or paste the text instead"
                )
            yield chunk


def docx_text(data: bytes, limits: DocumentLimits) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as error:
        raise DocumentRefusedError(f"the DOCX resume could not be read ({error})") from error
    with archive:
        members = archive.infolist()
        if len(members) > limits.max_entries:
            raise DocumentRefusedError(
                f"the DOCX file has {len(members)} parts, more than the {limits.max_entries} a "
                "document could need; save it again from a word processor"
            )
        body = next((m for m in members if m.filename == BODY), None)
        if body is None:
            raise DocumentRefusedError("the file is not a Word document: it has no text body")
        try:
            return _paragraphs(_inflate(archive, body, limits), limits)
        except (zipfile.BadZipFile, EOFError, OSError, RuntimeError) as error:
            raise DocumentRefusedError(f"the DOCX resume could not be read ({error})") from error


class _Body:
    """Collects paragraph text from expat's callbacks; refuses DTDs and deep nesting."""

    def __init__(self, limits: DocumentLimits) -> None:
        self.limits = limits
        self.lines: list[str] = []
        self.current: list[str] = []
        self.depth = 0
        self.in_text = False

    def start(self, tag: str, _attributes: dict[str, str]) -> None:
        self.depth += 1
        if self.depth > self.limits.max_xml_depth:
            raise DocumentRefusedError("the DOCX file nests its content deeper than any document")
        self.in_text = tag == f"{_W}t"
        if tag == f"{_W}tab":
            self.current.append("\t")

    def end(self, tag: str) -> None:
        self.depth -= 1
        self.in_text = False
        if tag == f"{_W}p":
            self.lines.append("".join(self.current))
            self.current = []

    def text(self, data: str) -> None:
        if self.in_text:
            self.current.append(data)


def _no_dtd(*_args: object) -> None:
    raise DocumentRefusedError(
        "the DOCX file declares a DTD, which no Word document does; save it again from a word "
        "processor"
    )


def _paragraphs(chunks: Iterator[bytes], limits: DocumentLimits) -> str:
    body = _Body(limits)
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = body.start
    parser.EndElementHandler = body.end
    parser.CharacterDataHandler = body.text
    parser.StartDoctypeDeclHandler = _no_dtd
    parser.EntityDeclHandler = _no_dtd
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise DocumentRefusedError(f"the DOCX resume could not be read ({error})") from error
    return "\n".join(body.lines)
