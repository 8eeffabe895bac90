"""Sending stored blobs to a browser: streamed from the file, typed by their bytes, inert.

A blob is sent with the type `hub.media` read from its bytes (never the one a kiosk declared),
inline only for images and audio, and with headers that keep a hostile file inert even when a
person opens its URL directly: `nosniff` (the browser may not guess another type), a CSP that
sandboxes the response and allows nothing to load or run, and `no-store` (personal data).
"""

from __future__ import annotations

from fastapi.responses import FileResponse

from hub.views import StoredMedia

MEDIA_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'"
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


def file_response(media: StoredMedia, name: str) -> FileResponse:
    """Stream `media` (Range requests included) as `name` plus the extension of its real type."""
    content_type = media.type.content_type
    return FileResponse(
        media.path,
        media_type=content_type,
        filename=name + _EXTENSIONS.get(content_type, ".bin"),
        content_disposition_type="inline" if media.type.inline else "attachment",
        headers={
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": MEDIA_CSP,
        },
    )
