"""The kiosk application: builds settings and services, wires them to the Qt window, runs it.

This is the one module of `kiosk` that reaches Qt (through `ui.application`). Everything it
builds is the ordinary core (session service, serial writer, event bus, conductor, proctor); the
window receives them as a `ui.context.KioskContext`. With `recorded_media` the bundled video, ID
card and answer recordings stand in for camera and microphone, so the whole kiosk runs headless.
With `KIOSK_HUB_URL` set (and the kiosk enrolled) a background syncer drains the outbox to the
hub while the app runs; without one the kiosk runs in offline mode and its queue simply grows.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import cv2
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from kiosk.domain.lifecycle import SessionState
from kiosk.engines import build_engine, help_desks
from kiosk.events import EventBus
from kiosk.live.answers import AnswerAudio, MicrophoneAnswers, RecordedAnswers
from kiosk.live.conductor import ConductorOptions, InterviewConductor
from kiosk.live.events import InterviewFinished, StateChanged
from kiosk.live.identity import IsolatedIdVerifier
from kiosk.live.proctor_feed import ProctorFeed
from kiosk.live.voice import QuestionVoice
from kiosk.live.writer import SerialWriter
from kiosk.resources import resource
from kiosk.sessions import SessionRecord, SessionService
from kiosk.settings import KioskSettings
from kiosk.sync import (
    BackgroundSyncer,
    Connectivity,
    HubNotConfiguredError,
    PackPuller,
    Pusher,
    SyncMonitor,
    hub_client,
)
from proctor import CameraSource, ImageSequenceSource, ProctorSession, Still
from proctor.faces import FaceDetector
from speech import FileSource, MicrophoneSource, TranscribeOptions
from ui.context import Appearance, Devices, KioskContext, LiveInterview
from ui.sources import (
    FrameListener,
    InterruptibleAnswers,
    InterviewInterrupted,
    LoopedAudio,
    PacedVideoSource,
    TeeSource,
)

_log = logging.getLogger(__name__)


class AppSettings(BaseSettings):
    """The window's own settings (`KIOSK_` prefix), read at start-up.

    `KIOSK_INVIGILATOR_PIN_HASH` is an argon2 hash (`kiosk app --hash-pin` makes one); a plain
    `KIOSK_INVIGILATOR_PIN` is accepted for development and tests only.
    """

    model_config = SettingsConfigDict(env_prefix="KIOSK_", extra="ignore")

    invigilator_pin_hash: SecretStr | None = None
    invigilator_pin: SecretStr | None = None
    font_scale: float = 1.0
    high_contrast: bool = False


class PinNotConfiguredError(RuntimeError):
    pass


def pin_checker(settings: AppSettings) -> Callable[[str], bool]:
    """A constant-time PIN check; raises when no PIN is configured (a kiosk must have one)."""
    if settings.invigilator_pin_hash is not None:
        hashed = settings.invigilator_pin_hash.get_secret_value()
        hasher = PasswordHasher()

        def check_hash(pin: str) -> bool:
            try:
                return hasher.verify(hashed, pin)
            except (VerificationError, InvalidHashError):
                return False

        return check_hash
    if settings.invigilator_pin is not None:
        expected = hashlib.sha256(settings.invigilator_pin.get_secret_value().encode()).digest()
        return lambda pin: hmac.compare_digest(hashlib.sha256(pin.encode()).digest(), expected)
    raise PinNotConfiguredError(
        "no invigilator PIN is configured: set KIOSK_INVIGILATOR_PIN_HASH to the output of "
        "`kiosk app --hash-pin`"
    )


def hash_pin(pin: str) -> str:
    return PasswordHasher().hash(pin)


@dataclass(frozen=True)
class MediaOptions:
    """Where camera, ID card and answers come from: devices, or recorded files."""

    recorded_media: Path | None = None
    #: Recorded answers play at the speed of speech (False: as fast as they decode, for tests).
    realtime_answers: bool = True


def _recorded_answers(media: Path, realtime: bool) -> RecordedAnswers:
    script = json.loads(resource("demo", "interview.json").read_text(encoding="utf-8"))
    recordings = {item["question"]: media / item["recording"] for item in script["answers"]}
    return RecordedAnswers(recordings, fallback=recordings.pop("*"), realtime=realtime)


def _devices(settings: KioskSettings, media: MediaOptions) -> tuple[Devices, AnswerAudio]:
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

    devices = Devices(
        camera=lambda: PacedVideoSource(folder / "camera.mp4"),
        card_camera=card,
        microphone=lambda: LoopedAudio(lambda: FileSource(folder / "answer-01.ogg", realtime=True)),
        description=f"Recorded media from {folder} stand in for the camera and microphone.",
    )
    return devices, _recorded_answers(folder, media.realtime_answers)


def preload_libraries() -> None:
    """Load, at start-up, the native libraries that workers would otherwise load mid-session.

    Loading a shared library holds Python's GIL for as long as it takes, which freezes the
    window; paid once before the window shows, nobody sees it.
    """
    import piper  # noqa: F401 - the question voice
    import rapidocr  # noqa: F401 - reading the ID card
    import sounddevice  # noqa: F401 - PortAudio, for the microphone and speakers


#: Sessions that reach one of these states have rows worth pushing at once.
_WAKE_ON = (SessionState.REPORTED, SessionState.ABORTED)


def build_sync(
    settings: KioskSettings,
    service: SessionService,
    writer: SerialWriter,
    bus: EventBus,
) -> SyncMonitor:
    """The background syncer for the configured hub, not yet started; offline mode without one.

    The syncer's database writes (marking rows sent or quarantined, moving sessions to `synced`,
    importing today's session packs) go through the serial writer, so the writer thread stays
    the only one that writes; reading the outbox and the media blobs, and talking to the hub,
    happen on the syncer's own thread, which WAL mode allows alongside writes.
    """
    try:
        client = hub_client(settings)
    except HubNotConfiguredError as error:
        idle = Connectivity.NOT_ENROLLED if settings.hub_url else Connectivity.OFFLINE
        _log.info("sync is off: %s", error)
        return SyncMonitor(service.database, hub_url=settings.hub_url, idle=idle, reason=str(error))
    syncer = BackgroundSyncer(
        Pusher(service, client, write=writer.call),
        interval_seconds=settings.sync_interval_seconds,
        heartbeat=True,
        puller=PackPuller(service, client, write=writer.call),
        pull_interval_seconds=settings.pack_pull_interval_seconds,
    )

    def on_state(event: StateChanged) -> None:
        if event.state in _WAKE_ON:
            syncer.wake()

    unsubscribe = (
        bus.subscribe(StateChanged, on_state),
        bus.subscribe(InterviewFinished, lambda _event: syncer.wake()),
    )
    return SyncMonitor(
        service.database,
        syncer=syncer,
        hub_url=settings.hub_url,
        on_close=(*unsubscribe, client.close),
    )


def build_context(
    settings: KioskSettings,
    app_settings: AppSettings,
    media: MediaOptions,
    *,
    lockdown: bool = True,
    session_key: str = "",
) -> KioskContext:
    preload_libraries()
    service = SessionService.from_settings(settings)
    bus, writer = EventBus(), SerialWriter()
    devices, answers = _devices(settings, media)
    voice = QuestionVoice(cache_dir=settings.data_dir / "tts")
    proctor = ProctorSession()
    transcribe = TranscribeOptions(
        model=settings.whisper_model, cpu_threads=settings.whisper_threads
    )

    sync = build_sync(settings, service, writer, bus)

    def live_interview(session_id: str, preview: FrameListener) -> LiveInterview:
        interruptible = InterruptibleAnswers(answers)
        feeds: list[ProctorFeed] = []

        def feed(sid: str) -> ProctorFeed:
            feeds.append(
                ProctorFeed(
                    proctor,
                    TeeSource(devices.camera(), preview),
                    session_id=sid,
                    service=service,
                    writer=writer,
                    bus=bus,
                )
            )
            return feeds[-1]

        conductor = InterviewConductor(
            service,
            build_engine(settings),
            voice=voice,
            answers=interruptible,
            bus=bus,
            writer=writer,
            recordings_dir=settings.data_dir / "recordings",
            proctor=feed,
            options=ConductorOptions(
                transcribe=transcribe,
                audio_proctoring_headset=settings.audio_proctoring_headset,
            ),
        )

        def run(sid: str) -> SessionRecord:
            try:
                return conductor.run(sid)
            except InterviewInterrupted:
                for each in feeds:  # the conductor stops its feed only on a normal end
                    each.stop()
                raise

        return LiveInterview(conductor, run, interruptible.interrupt)

    context = KioskContext(
        service=service,
        bus=bus,
        writer=writer,
        devices=devices,
        voice=voice,
        live_interview=live_interview,
        id_verifier=cache(IsolatedIdVerifier),
        face_detector=FaceDetector,
        help_desk=help_desks(settings),
        check_pin=pin_checker(app_settings),
        proctor=proctor,
        appearance=Appearance(app_settings.font_scale, app_settings.high_contrast),
        lockdown=lockdown,
        session_key=session_key,
        sync=sync,
    )
    sync.start()
    return context


def close_context(context: KioskContext) -> None:
    """Stop the syncer, finish queued writes, then close the database."""
    if context.sync is not None:
        context.sync.close()
    context.writer.close()
    context.service.close()


def main(
    *,
    recorded_media: Path | None = None,
    lockdown: bool = True,
    session_key: str = "",
) -> int:
    from ui.application import run_window

    context = build_context(
        KioskSettings(),
        AppSettings(),
        MediaOptions(recorded_media),
        lockdown=lockdown,
        session_key=session_key,
    )
    try:
        return run_window(context, sys.argv[:1])
    finally:
        close_context(context)
