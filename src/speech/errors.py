"""Errors the speech package raises for expected failures, each with a message a person can act on.

Model problems are not redefined here: `modelstore.ModelError` already names the missing or damaged
file and the command that fixes it, and callers catch it as such.
"""

from __future__ import annotations


class SpeechError(RuntimeError):
    """Base class: an expected failure of audio input, output or synthesis."""


class AudioDeviceError(SpeechError):
    """An audio device is absent, refused to open, or vanished while in use."""


class AudioFileError(SpeechError):
    """An audio file is missing, empty, corrupt or in a format nothing here can decode."""


class DamagedAudioError(AudioFileError):
    """An audio file that decodes but is incomplete (truncated): never to be read as a short
    or silent answer."""


class SynthesisError(SpeechError):
    """A text-to-speech engine could not produce audio."""
