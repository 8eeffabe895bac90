"""OCR for scanned resumes: the images embedded in PDF pages through RapidOCR (ONNX, on-device).

A scanned PDF is one image per page; pypdf hands those images out without rendering anything,
so no poppler or Ghostscript is needed. Vector-drawn text with no text layer is not covered:
the caller gets a clear `NO_TEXT` error instead.
"""

from __future__ import annotations

import io
import logging
from functools import lru_cache
from typing import Any

import numpy as np

_log = logging.getLogger(__name__)
MAX_OCR_PAGES = 5


@lru_cache(maxsize=1)
def _engine() -> Any:
    from rapidocr import RapidOCR  # heavy import (onnxruntime sessions): only when a scan arrives

    return RapidOCR()


def ocr_image(image: Any) -> str:
    """Text lines of one PIL image, top to bottom as RapidOCR orders them."""
    array = np.asarray(image.convert("RGB"))
    result = _engine()(array)
    return "\n".join(result.txts or ())


def ocr_pdf_pages(pages: list[Any]) -> str:
    """OCR every embedded image of the first MAX_OCR_PAGES pypdf pages."""
    from PIL import Image

    lines: list[str] = []
    for page in pages[:MAX_OCR_PAGES]:
        for embedded in page.images:
            try:
                image = Image.open(io.BytesIO(embedded.data))
                lines.append(ocr_image(image))
            except (OSError, ValueError) as error:  # an image format PIL cannot decode
                _log.info("skipped an embedded image during OCR: %s", type(error).__name__)
    return "\n".join(line for line in lines if line.strip())


__all__ = ["MAX_OCR_PAGES", "ocr_image", "ocr_pdf_pages"]
