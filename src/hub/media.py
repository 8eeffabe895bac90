"""What a stored blob really is, read from its first bytes, and how the portal may serve it.

A kiosk declares a content type with every blob, and a compromised kiosk can declare anything:
`text/html` for a page with a script, `image/svg+xml` for an SVG with an `onload`. The declared
type is therefore never served. The portal serves a blob inline only when its bytes begin with
the signature of an image or audio format a browser cannot run script from (JPEG, PNG, GIF,
WebP, WAV, Ogg, FLAC, MP3); a PDF is a download; everything else (HTML, SVG, XML, text,
executables, empty files) is an attachment of type `application/octet-stream`. Together with
`X-Content-Type-Options: nosniff` and a sandboxing CSP on every media response, a polyglot (a
JPEG whose tail is HTML) stays an image: the browser is told it is one and may not guess.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Enough bytes for every signature below.
HEAD_BYTES = 16
OCTET_STREAM = "application/octet-stream"


@dataclass(frozen=True, slots=True)
class MediaType:
    content_type: str
    inline: bool  # shown in the page (image, audio) rather than downloaded


def _riff(head: bytes, form: bytes) -> bool:
    return head[:4] == b"RIFF" and head[8:12] == form


def sniff(head: bytes) -> MediaType:
    """The type of a blob that begins with `head` (at least HEAD_BYTES of it when it is longer)."""
    if head[:3] == b"\xff\xd8\xff":
        return MediaType("image/jpeg", True)
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return MediaType("image/png", True)
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return MediaType("image/gif", True)
    if _riff(head, b"WEBP"):
        return MediaType("image/webp", True)
    if _riff(head, b"WAVE"):
        return MediaType("audio/wav", True)
    if head[:4] == b"OggS":
        return MediaType("audio/ogg", True)
    if head[:4] == b"fLaC":
        return MediaType("audio/flac", True)
    if head[:3] == b"ID3" or (len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return MediaType("audio/mpeg", True)
    if head[:5] == b"%PDF-":
        return MediaType("application/pdf", False)  # PDFs carry scripts of their own: download
    return MediaType(OCTET_STREAM, False)
