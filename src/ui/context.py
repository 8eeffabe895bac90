"""What the screens are given to work with, built once by `kiosk.app` at start-up.

Screens hold no business rules: they call the session service, the conductor, the verifier and
the help desk that this context hands them, through the writer or a worker. Everything device-
or media-specific (a real camera or the bundled video) is a factory here, so the same screens run
at a test centre, in a headless test and on a build machine with no camera at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kiosk.brain.helpdesk import HelpDesk
from kiosk.domain.model import SessionSettings
from kiosk.events import EventBus
from kiosk.live.conductor import InterviewConductor
from kiosk.live.identity import IsolatedIdVerifier
from kiosk.live.voice import QuestionVoice
from kiosk.live.writer import SerialWriter
from kiosk.sessions import SessionRecord, SessionService
from kiosk.sync.status import SyncMonitor
from proctor import FrameSource, ProctorSession
from proctor.faces import FaceDetector
from speech import AudioSource
from ui.sources import FrameListener


@dataclass(frozen=True)
class Devices:
    """Fresh sources on demand. Each call may raise (or its source may raise on first read)
    `CameraError` / `AudioDeviceError`, which the screens turn into guidance."""

    camera: Callable[[], FrameSource]
    #: What the ID card is held up to: the camera itself, or the bundled card image.
    card_camera: Callable[[], FrameSource]
    microphone: Callable[[], AudioSource]
    #: Shown on the device-check screen, e.g. "recorded media from resources/demo/media".
    description: str


@dataclass(frozen=True)
class LiveInterview:
    """A conductor ready to run, and how to stop it the way a power cut would (see
    `ui.sources.InterruptibleAnswers`): proctoring stops and the answer in progress is dropped,
    and `run` then raises `InterviewInterrupted`."""

    conductor: InterviewConductor
    run: Callable[[str], SessionRecord]
    interrupt: Callable[[], None]


@dataclass(frozen=True)
class Appearance:
    font_scale: float = 1.0
    high_contrast: bool = False


@dataclass(frozen=True)
class KioskContext:
    service: SessionService
    bus: EventBus
    writer: SerialWriter
    devices: Devices
    voice: QuestionVoice
    #: Builds the interview for the session, the preview listener seeing every camera frame.
    live_interview: Callable[[str, FrameListener], LiveInterview]
    id_verifier: Callable[[], IsolatedIdVerifier]
    face_detector: Callable[[], FaceDetector]
    help_desk: Callable[[SessionSettings], HelpDesk]
    #: The invigilator PIN check; slow on purpose (argon2), so screens call it in a worker.
    check_pin: Callable[[str], bool]
    #: Kiosk-shell events (blocked shortcut, focus lost...) go into this session's stream.
    proctor: ProctorSession
    appearance: Appearance = Appearance()
    lockdown: bool = True
    #: A session key to prefill on the start screen (`kiosk app --session KEY`).
    session_key: str = ""
    #: Connectivity, queue length and last sync; runs the background syncer when a hub is set.
    sync: SyncMonitor | None = None
