"""Build the kiosk once at start-up: its services, devices, detectors and live interviews.

The kiosk application, `kiosk demo` and the tests all run an interview through this one
bootstrap, so the conductor is wired in one place. Devices are real (OpenCV capture,
sounddevice) or, with recorded media, the bundled video, ID card and answer recordings stand in
for camera and microphone, so the whole kiosk runs headless on files.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import cv2

from kiosk.brain.helpdesk import HelpDesk
from kiosk.bus import EventBus
from kiosk.domain.model import SessionSettings
from kiosk.engine_setup import GeminiLink, live_judge
from kiosk.live.answers import AnswerAudio, MicrophoneAnswers, RecordedAnswers
from kiosk.live.completion import RecordCompleter
from kiosk.live.conductor import ConductorOptions, InterviewConductor
from kiosk.live.devices import Devices, FrameListener, LoopedAudio, PacedVideoSource, TeeSource
from kiosk.live.identity import IsolatedIdVerifier
from kiosk.live.interruption import InterruptibleAnswers
from kiosk.live.judging import LiveJudge
from kiosk.live.proctor_feed import ProctorFeed, RunningProctor
from kiosk.live.shell_events import ShellEvents
from kiosk.live.voice import QuestionVoice
from kiosk.live.writer import SerialWriter
from kiosk.resources import resource
from kiosk.sessions import SessionRecord, SessionService
from kiosk.settings import KioskSettings
from kiosk.sync.background import build_sync
from kiosk.sync.status import SyncMonitor
from proctor import (
    CameraSource,
    Detectors,
    FrameSource,
    ImageSequenceSource,
    Still,
    VideoFileSource,
    load_policy,
)
from proctor.faces import FaceDetector
from speech import FileSource, MicrophoneSource, TranscribeOptions


@dataclass(frozen=True)
class MediaOptions:
    """Where camera, ID card and answers come from: devices, or recorded files."""

    recorded_media: Path | None = None
    #: Recorded answers play at the speed of speech (False: as fast as they decode, for tests).
    realtime_answers: bool = True
    #: The recorded video plays at its own frame rate and loops, as a live camera would (False:
    #: read once as fast as it is analysed, so a run on it is repeatable: the demo).
    live_camera: bool = True


def recorded_answers(media: Path, *, realtime: bool) -> RecordedAnswers:
    """The bundled candidate's answers, chosen by question as the demo's script says."""
    script = json.loads(resource("demo", "interview.json").read_text(encoding="utf-8"))
    recordings = {item["question"]: media / item["recording"] for item in script["answers"]}
    return RecordedAnswers(recordings, fallback=recordings.pop("*"), realtime=realtime)


def devices_for(settings: KioskSettings, media: MediaOptions) -> tuple[Devices, AnswerAudio]:
    folder = media.recorded_media
    if folder is None:
        microphone = settings.microphone or None

        def camera() -> CameraSource:
            return CameraSource(settings.camera_index)

        devices = Devices(
            camera=camera,
            card_camera=camera,
            microphone=lambda: MicrophoneSource(microphone),
            description=f"Camera {settings.camera_index}; microphone "
            f"{microphone or 'system default'}.",
        )
        return devices, MicrophoneAnswers(microphone)

    def card() -> ImageSequenceSource:
        image = cv2.imread(str(folder / "id_card.jpg"))
        # no sensor noise: making noisy copies of a large still holds the GIL (a GUI stall)
        return ImageSequenceSource(
            [Still(image, 3600.0)], fps=5.0, sensor_noise=0.0, realtime=True
        )

    def video() -> FrameSource:
        path = folder / "camera.mp4"
        return PacedVideoSource(path) if media.live_camera else VideoFileSource(path)

    devices = Devices(
        camera=video,
        card_camera=card,
        microphone=lambda: LoopedAudio(lambda: FileSource(folder / "answer-01.ogg", realtime=True)),
        description=f"Recorded media from {folder} stand in for the camera and microphone.",
    )
    return devices, recorded_answers(folder, realtime=media.realtime_answers)


@dataclass(frozen=True)
class LiveInterview:
    """A conductor ready to run, and how to stop it the way a power cut would (see
    `kiosk.live.interruption`): proctoring stops and the answer in progress is dropped, and
    `run` then raises `InterviewInterrupted`."""

    conductor: InterviewConductor
    run: Callable[[str], SessionRecord]
    interrupt: Callable[[], None]


@dataclass
class KioskCore:
    """Everything the kiosk runs on, built once and closed once."""

    settings: KioskSettings
    service: SessionService
    bus: EventBus
    writer: SerialWriter
    devices: Devices
    answers: AnswerAudio
    voice: QuestionVoice
    detectors: Detectors
    running_proctor: RunningProctor
    shell_events: ShellEvents
    help_desk: Callable[[SessionSettings], HelpDesk]
    #: The way to Gemini: one circuit breaker for the interview engines and the help desk.
    gemini: GeminiLink
    id_verifier: Callable[[], IsolatedIdVerifier]
    face_detector: Callable[[], FaceDetector]
    sync: SyncMonitor
    #: Revises a reported session's evaluation and report once all its scores are final.
    completer: RecordCompleter
    #: The on-device judge's background worker (None when switched off in the settings).
    judge: LiveJudge | None = None
    sample_report: bool = False

    def live_interview(
        self, session_id: str, preview: FrameListener | None = None
    ) -> LiveInterview:
        """The interview for `session_id`; `preview` sees every camera frame the proctor reads."""
        del session_id  # the conductor is told which session to run when it runs
        interruptible = InterruptibleAnswers(self.answers)

        def feed(session_id: str) -> ProctorFeed:
            camera = self.devices.camera()
            return ProctorFeed(
                self.detectors,
                TeeSource(camera, preview) if preview is not None else camera,
                session_id=session_id,
                service=self.service,
                writer=self.writer,
                bus=self.bus,
                running=self.running_proctor,
            )

        conductor = InterviewConductor(
            self.service,
            self.gemini.engine(),
            voice=self.voice,
            answers=interruptible,
            bus=self.bus,
            writer=self.writer,
            recordings_dir=self.settings.data_dir / "recordings",
            proctor=feed,
            policy=self.detectors.policy,
            options=ConductorOptions(
                transcribe=TranscribeOptions(
                    model=self.settings.whisper_model, cpu_threads=self.settings.whisper_threads
                ),
                audio_proctoring_headset=self.settings.audio_proctoring_headset,
                sample_report=self.sample_report,
                judge_wait_s=self.settings.judge_wait_seconds,
            ),
            judge=self.judge,
            completer=self.completer,
        )

        def interrupt() -> None:
            interruptible.interrupt()  # an answer being given stops at its next block
            conductor.interrupt()  # a paused run, or one reading a question, stops too

        return LiveInterview(conductor, conductor.run, interrupt)

    def close(self) -> None:
        """Stop the judge and the syncer, finish queued writes, then close the database."""
        if self.judge is not None:
            self.judge.close()
        self.sync.close()
        self.writer.close()
        self.service.close()


def build_core(
    settings: KioskSettings, media: MediaOptions, *, sample_report: bool = False
) -> KioskCore:
    """The kiosk's core for `settings`; the background syncer is built but not started."""
    bus, writer = EventBus(), SerialWriter()
    service = SessionService.from_settings(settings, publish=bus.emit)
    devices, answers = devices_for(settings, media)
    detectors = Detectors(load_policy())
    running = RunningProctor()
    gemini = GeminiLink.from_settings(settings)
    completer = RecordCompleter(service, writer, sample_report=sample_report)
    return KioskCore(
        settings=settings,
        service=service,
        bus=bus,
        writer=writer,
        devices=devices,
        answers=answers,
        voice=QuestionVoice(cache_dir=settings.data_dir / "tts"),
        detectors=detectors,
        running_proctor=running,
        shell_events=ShellEvents(running, detectors.policy, service, writer),
        help_desk=gemini.help_desks(),
        gemini=gemini,
        id_verifier=cache(IsolatedIdVerifier),
        face_detector=FaceDetector,
        sync=build_sync(settings, service, writer, bus),
        completer=completer,
        judge=live_judge(settings, service, writer, bus, completer),
        sample_report=sample_report,
    )


__all__ = [
    "KioskCore",
    "LiveInterview",
    "MediaOptions",
    "build_core",
    "devices_for",
    "recorded_answers",
]
