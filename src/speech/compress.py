"""Answer recordings as FLAC: lossless, about half the bytes of the 16-bit WAV the recorder writes.

The kiosk keeps one copy of each answer's audio, in this form, and it is the form the hub gets
when an organisation's data policy sends answer audio at all. libsndfile (soundfile) writes FLAC
without FFmpeg, and decoding the FLAC gives back the WAV's samples bit for bit.
"""

from __future__ import annotations

import io

import soundfile as sf

from speech.errors import AudioFileError

FLAC_CONTENT_TYPE = "audio/flac"


def wav_to_flac(wav: bytes) -> bytes:
    """The same samples, losslessly compressed; a WAV that cannot be read raises AudioFileError
    (a damaged recording is kept as it is by the caller, never half-converted)."""
    try:
        samples, rate = sf.read(io.BytesIO(wav), dtype="int16", always_2d=True)
    except (sf.LibsndfileError, RuntimeError) as error:
        raise AudioFileError(f"the answer recording is no readable WAV: {error}") from error
    out = io.BytesIO()
    sf.write(out, samples, rate, format="FLAC", subtype="PCM_16")
    return out.getvalue()


__all__ = ["FLAC_CONTENT_TYPE", "wav_to_flac"]
