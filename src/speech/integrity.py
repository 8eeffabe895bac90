"""Is an audio file whole? Decoders read a truncated WAV or Ogg up to the cut without a word,
so a damaged answer recording would pass for a short (or silent) answer. Both containers say
how long they should be: a WAV's data chunk declares its size, and an Ogg stream's last page
carries an end-of-stream flag. A file that falls short is damaged, and says by how much.
"""

from __future__ import annotations

import struct
from pathlib import Path

from speech.errors import DamagedAudioError

#: Writers that stream a WAV before they know its length put one of these in the size fields.
_UNKNOWN_SIZES = frozenset({0, 0xFFFFFFFF})
_OGG_TAIL = 65_536 + 282  # the largest Ogg page, plus its header


def _wav_shortfall(path: Path) -> str | None:
    with path.open("rb") as handle:
        header = handle.read(12)
        if len(header) < 12 or header[8:12] != b"WAVE" or header[:4] not in (b"RIFF", b"RIFX"):
            return None  # not a RIFF WAV (RF64, W64 ...): leave it to the decoder
        endian = "<" if header[:4] == b"RIFF" else ">"
        size = path.stat().st_size
        while True:
            chunk = handle.read(8)
            if len(chunk) < 8:
                return "it ends before its audio data begins"
            name, length = chunk[:4], struct.unpack(f"{endian}I", chunk[4:])[0]
            if name == b"data":
                if length in _UNKNOWN_SIZES:
                    return None
                present = size - handle.tell()
                if present < length:
                    return (f"its header announces {length:,} bytes of audio but only "
                            f"{present:,} are there ({present / length:.0%})")
                return None
            handle.seek(length + (length & 1), 1)


def _ogg_shortfall(path: Path) -> str | None:
    size = path.stat().st_size
    with path.open("rb") as handle:
        if handle.read(4) != b"OggS":
            return None
        handle.seek(max(0, size - _OGG_TAIL))
        tail = handle.read()
    last = tail.rfind(b"OggS")
    if last < 0 or len(tail) - last < 27:
        return "its last page is cut off"
    page = tail[last:]
    segments = page[26]
    if len(page) < 27 + segments:
        return "its last page is cut off"
    body = sum(page[27:27 + segments])
    if len(page) < 27 + segments + body:
        return "its last page is cut off"
    if not page[5] & 0x04:
        return "its audio stream stops without its end marker"
    return None


def check_complete(path: Path) -> None:
    """Raise `DamagedAudioError` if the WAV or Ogg file at `path` was cut short."""
    with path.open("rb") as handle:
        magic = handle.read(4)
    reason = None
    if magic in (b"RIFF", b"RIFX"):
        reason = _wav_shortfall(path)
    elif magic == b"OggS":
        reason = _ogg_shortfall(path)
    if reason is not None:
        raise DamagedAudioError(
            f"audio file {path} is damaged: {reason}; the recording is incomplete (was it cut "
            "off while being written or copied?)"
        )


__all__ = ["check_complete"]
