"""Speech: audio sources, voice activity and end of answer, transcription, TTS, speech metrics.

A library of generators and frozen dataclasses with no Qt and no kiosk imports, usable from a
script. The usual flow for one answer::

    with MicrophoneSource() as mic, AnswerRecorder(path) as recorder:
        for event in listen(mic, TranscribeOptions(model="tiny.en"), recorder=recorder):
            ...  # Partial captions, then one Answer with the Transcript and the Endpoint
"""

from speech.endpoint import (
    Endpoint,
    Endpointer,
    EndpointOptions,
    EndReason,
    SpeechRegion,
    speech_regions,
)
from speech.errors import (
    AudioDeviceError,
    AudioFileError,
    DamagedAudioError,
    SpeechError,
    SynthesisError,
)
from speech.filesource import FileSource, load_audio
from speech.fillers import Filler, find_fillers
from speech.hints import DomainHints, domain_hints
from speech.listen import WHOLE_FILE, Answer, AnswerListener, Partial, listen, transcribe_file
from speech.metrics import SpeechMetrics, speech_metrics
from speech.microphone import InputDevice, MicrophoneSource, list_input_devices
from speech.playback import Playback, list_output_devices, play
from speech.proctoring import AudioSignal, SignalKind, Window, no_attempt, speech_outside_answer
from speech.recorder import AnswerRecorder, find_partial_recordings, recover_recording
from speech.results import (
    WHISPER_MODELS,
    Segment,
    StageTimings,
    TranscribeOptions,
    Transcript,
    Word,
)
from speech.source import BLOCK_SAMPLES, SAMPLE_RATE, AudioSource
from speech.tts import Speech, SynthesisOptions, synthesize
from speech.vad import StreamingVad
from speech.whisper import preload_model

__all__ = [
    "BLOCK_SAMPLES",
    "SAMPLE_RATE",
    "WHISPER_MODELS",
    "WHOLE_FILE",
    "Answer",
    "AnswerListener",
    "AnswerRecorder",
    "AudioDeviceError",
    "AudioFileError",
    "AudioSignal",
    "AudioSource",
    "DamagedAudioError",
    "DomainHints",
    "EndReason",
    "Endpoint",
    "EndpointOptions",
    "Endpointer",
    "FileSource",
    "Filler",
    "InputDevice",
    "MicrophoneSource",
    "Partial",
    "Playback",
    "Segment",
    "SignalKind",
    "Speech",
    "SpeechError",
    "SpeechMetrics",
    "SpeechRegion",
    "StageTimings",
    "StreamingVad",
    "SynthesisError",
    "SynthesisOptions",
    "TranscribeOptions",
    "Transcript",
    "Window",
    "Word",
    "domain_hints",
    "find_fillers",
    "find_partial_recordings",
    "list_input_devices",
    "list_output_devices",
    "listen",
    "load_audio",
    "no_attempt",
    "play",
    "preload_model",
    "recover_recording",
    "speech_metrics",
    "speech_outside_answer",
    "speech_regions",
    "synthesize",
    "transcribe_file",
]
