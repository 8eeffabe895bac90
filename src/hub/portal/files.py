"""Sending stored blobs to a browser: streamed from the store, by byte range, typed by their
bytes, inert.

A blob is sent with the type `hub.media` read from its bytes (never the one a kiosk declared),
inline only for images and audio, and with headers that keep a hostile file inert even when a
person opens its URL directly: `nosniff` (the browser may not guess another type), a CSP that
sandboxes the response and allows nothing to load or run, and `no-store` (personal data). Those
headers go on every answer of a media route: the whole file (200), a part of it (206) and a
range that lies outside it (416).

A PDF is a download, unless HR asks to read it (`view_pdf`): then it is inline, in the browser's
own viewer, still typed by its bytes, sandboxed and framed by no page.

A single `Range: bytes=…` is served as 206 so an audio player can seek; several ranges, other
units and malformed values are ignored and the whole file is sent, as RFC 9110 allows.
"""

from __future__ import annotations

import re

from fastapi import Response
from fastapi.responses import StreamingResponse

from hub.views import StoredMedia

MEDIA_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'"
PDF = "application/pdf"
_EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "audio/wav": ".wav",
    "audio/ogg": ".ogg",
    "audio/flac": ".flac",
    "audio/mpeg": ".mp3",
    "application/pdf": ".pdf",
}
_ONE_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


class Unsatisfiable(Exception):
    """The range lies wholly outside the file: 416."""


def requested_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The (start, stop) of the one byte range asked for, clipped to the file; None to send it
    all; `Unsatisfiable` when no byte of it exists."""
    if header is None:
        return None
    match = _ONE_RANGE.fullmatch(header.strip())
    if match is None:
        return None  # several ranges, another unit, nonsense: ignored
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise Unsatisfiable
        return max(size - suffix, 0), size
    start = int(first)
    if last and int(last) < start:
        return None  # last before first: not a valid range, so ignored
    if start >= size:
        raise Unsatisfiable
    return start, min(int(last) + 1 if last else size, size)


def file_response(
    media: StoredMedia, name: str, range_header: str | None = None, *, view_pdf: bool = False
) -> Response:
    """Stream `media`, or the range of it asked for, as `name` plus the extension of its type.

    `view_pdf`: a blob whose bytes are a PDF is sent inline, for the browser's own PDF viewer
    (still sandboxed and unframed: Chromium shows a top-level PDF under that policy; a browser
    that would not offers the download instead); anything else is sent exactly as without it."""
    content_type = media.type.content_type
    filename = name + _EXTENSIONS.get(content_type, ".bin")
    shown_pdf = view_pdf and content_type == PDF
    disposition = "inline" if media.type.inline or shown_pdf else "attachment"
    headers = {
        "Accept-Ranges": "bytes",
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": MEDIA_CSP,
        "Content-Disposition": f'{disposition}; filename="{filename}"',
    }
    try:
        part = requested_range(range_header, media.size)
    except Unsatisfiable:
        headers["Content-Range"] = f"bytes */{media.size}"
        return Response(status_code=416, headers=headers)
    start, stop = part or (0, media.size)
    headers["Content-Length"] = str(stop - start)
    if part is not None:
        headers["Content-Range"] = f"bytes {start}-{stop - 1}/{media.size}"
    return StreamingResponse(
        media.read(start, stop),
        status_code=206 if part is not None else 200,
        media_type=content_type,
        headers=headers,
    )
