"""The text of an uploaded resume (plain text, PDF or DOCX), within `DocumentLimits`.

Runs inside the reading child (`hub.documents.worker`): a PDF's compressed streams are inflated
by pypdf under its own output caps, lowered here to the hub's limit, and the child's memory, CPU
and wall clock are capped by `hub.documents.sandbox` around it.
"""

from __future__ import annotations

import io

from hub.documents.limits import DocumentLimits, DocumentRefusedError
from hub.documents.zipped import docx_text

MAX_CHARS = 100_000


def pdf_text(data: bytes, limits: DocumentLimits) -> str:
    from pypdf import PdfReader, overwrite_configuration
    from pypdf.errors import LimitReachedError, PyPdfError

    cap = limits.max_inflated_bytes
    overwrite_configuration(
        maximum_declared_stream_length=cap,
        array_based_stream_maximum_output_length=cap,
        jbig2_maximum_output_length=cap,
        lzw_maximum_output_length=cap,
        run_length_maximum_output_length=cap,
        zlib_maximum_output_length=cap,
        brotli_maximum_output_length=cap,
        jbig2dec_binary=None,  # never start another program on an uploaded file
    )
    try:
        reader = PdfReader(io.BytesIO(data))
        parts: list[str] = []
        size = 0
        for page in reader.pages:
            # extract_text() swallows a stream that hits the caps (and returns ""): inflate the
            # page's content first, so a bomb is refused rather than read as an empty page
            page.get_contents()
            parts.append(page.extract_text() or "")
            size += len(parts[-1])
            if size > MAX_CHARS:
                break
        return "\n".join(parts)
    except LimitReachedError as error:
        raise DocumentRefusedError(
            "the PDF file unpacks to far more than a resume could hold; print it to a new PDF, "
            "or paste the text instead"
        ) from error
    except (PyPdfError, ValueError, KeyError, TypeError, RecursionError) as error:
        raise DocumentRefusedError(f"the PDF resume could not be read ({error})") from error


def document_text(kind: str, data: bytes, limits: DocumentLimits) -> str:
    """`kind` is "pdf" or "docx" (the caller decided from the bytes and the file name)."""
    text = pdf_text(data, limits) if kind == "pdf" else docx_text(data, limits)
    return text[:MAX_CHARS]
