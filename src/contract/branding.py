"""An organisation's logo as a session pack carries it to the kiosk: small, PNG or JPEG, and
checked by decoding it, not by its name or its first bytes.

The hub checks a logo when it is set and again whenever a pack is read (`contract.wire`), and
the kiosk shows it on the candidate's screen, so a damaged or oversized file must be refused
with a reason on either side before it reaches a window. Pillow decodes the whole picture;
the pixel count is checked from the header first, so a small file that claims a huge picture
(a decompression bomb) is refused before anything is decoded.
"""

from __future__ import annotations

import io
from typing import Final

from PIL import Image, UnidentifiedImageError

#: Largest logo file accepted (a crisp header logo is a few kilobytes to a few tens).
MAX_LOGO_BYTES: Final = 128 * 1024
#: Longest side in pixels: the header shows it at most a few hundred pixels wide.
MAX_LOGO_SIDE: Final = 1024
_TYPES: Final = {"PNG": "image/png", "JPEG": "image/jpeg"}


class LogoError(ValueError):
    """The file is not a logo the kiosk can show; the message says why and what is allowed."""


def check_logo(data: bytes) -> str:
    """The logo's content type ("image/png" or "image/jpeg") once it has decoded cleanly;
    `LogoError` otherwise."""
    if not data:
        raise LogoError("the logo file is empty")
    if len(data) > MAX_LOGO_BYTES:
        raise LogoError(
            f"the logo is {len(data)} bytes; a logo may be at most {MAX_LOGO_BYTES} bytes "
            f"({MAX_LOGO_BYTES // 1024} KiB)"
        )
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format or ""
            if kind not in _TYPES:
                raise LogoError(f"the logo is a {kind or 'unknown'} picture; use PNG or JPEG")
            width, height = image.size
            if max(width, height) > MAX_LOGO_SIDE or min(width, height) < 1:
                raise LogoError(
                    f"the logo is {width}x{height} pixels; its longest side may be at most "
                    f"{MAX_LOGO_SIDE} pixels"
                )
            image.load()  # decodes every pixel: a truncated or corrupt file fails here
    except LogoError:
        raise
    except UnidentifiedImageError:
        raise LogoError("the logo is not a picture (its content is neither PNG nor JPEG)") from None
    except (OSError, SyntaxError, ValueError) as error:
        raise LogoError(f"the logo is a damaged picture ({error}); use a PNG or JPEG") from error
    return _TYPES[kind]


__all__ = ["MAX_LOGO_BYTES", "MAX_LOGO_SIDE", "LogoError", "check_logo"]
