"""Read an ID card or live photo from a file, telling a damaged file from a photo without a face.

A reader that tolerates truncation fills the missing part of a JPEG with grey, so a card cut
off in transfer goes on to be reported as "no face found" or "no name read": a wrong answer to
the wrong question. OpenCV 5 instead returns no image and no reason, which a caller cannot tell
from a missing file. Pillow's decoder checks the file's structure and says what is wrong, so a
damaged file is refused here as damaged, and only an intact one is decoded (by OpenCV, which
also applies the photo's EXIF orientation, as everywhere else in the proctor).
"""

from __future__ import annotations

import io
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, UnidentifiedImageError


class ImageFileError(ValueError):
    """An image file cannot be used; the message names the file and the reason."""


class ImageMissingError(ImageFileError):
    """The file does not exist."""


class ImageDamagedError(ImageFileError):
    """The file exists but is not an intact image: truncated, corrupt, or another format."""


def decode_image(data: bytes, name: str = "image") -> np.ndarray:
    """A BGR array from an encoded image, or ImageDamagedError saying why not."""
    if not data:
        raise ImageDamagedError(f"{name} is empty")
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # decodes every pixel: a truncated file fails here
    except UnidentifiedImageError:
        raise ImageDamagedError(f"{name} is not an image file (unknown format)") from None
    except (OSError, SyntaxError, ValueError) as error:
        raise ImageDamagedError(f"{name} is damaged: {error}") from None
    decoded = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if decoded is None:
        raise ImageDamagedError(f"{name} could not be decoded as a colour image")
    return decoded


def load_image(path: str | Path) -> np.ndarray:
    """Read an image file as BGR; ImageMissingError or ImageDamagedError when it can't be."""
    path = Path(path)
    if not path.is_file():
        raise ImageMissingError(f"{path} does not exist")
    return decode_image(path.read_bytes(), str(path))
