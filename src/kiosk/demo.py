"""`make demo`: a complete interview, headless, on the bundled recorded media, ending in a PDF.

It is the kiosk's own pipeline, built by the same bootstrap as the app, with files in place of
devices: the consent is recorded, the ID card is read and the face matched for real, the device
check runs on the recorded video and voice, the questions come from the interview engine
(offline; Gemini when a key is set) and are synthesised by the on-device voice, the recorded
answers are endpointed and transcribed by Whisper, the recorded webcam video is proctored, and
the report is written. The candidate, resume, job and media are invented and labelled SAMPLE
DATA.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np

from kiosk.bootstrap import KioskCore, MediaOptions, build_core
from kiosk.bus import EventBus
from kiosk.domain.consent import NOTICE_VERSION, notice_sha256, shown_text
from kiosk.domain.devices import DeviceCheck, SpeakerCheck
from kiosk.domain.model import Candidate, JobDescription, SessionSettings
from kiosk.live.announcements import (
    AnswerSaved,
    AnswerScored,
    InterviewProblem,
    ProctoringFlag,
    Progress,
    QuestionAsked,
    QuestionSpoken,
)
from kiosk.live.devices import HEARD_LEVEL, level
from kiosk.proctoring import id_check_from
from kiosk.resources import resource
from kiosk.settings import KioskSettings
from proctor import Frame, VideoFileSource
from proctor.idcheck import IdVerifier
from speech import FileSource

#: The demo's own invigilator, named in the device check's override.
DEMO_INVIGILATOR = "demo invigilator"


@dataclass(frozen=True)
class DemoResult:
    session_id: str
    session_key: str
    report_path: Path
    data_dir: Path


def _say(message: str) -> None:
    print(f"[demo] {message}", flush=True)


def _sample_session(core: KioskCore) -> str:
    service = core.service
    resume = resource("demo", "resume.txt").read_text(encoding="utf-8")
    job_text = resource("demo", "job_description.txt").read_text(encoding="utf-8")
    candidate = Candidate(resume.splitlines()[0].strip(), "jose.nunez@example.org", resume)
    job = JobDescription(title=job_text.splitlines()[0].strip(), text=job_text)
    settings = SessionSettings(question_count=5, seconds_per_question=90)
    session = service.create(candidate, job, settings)
    _say(f"session for {candidate.full_name} ({job.title}), key {session.session_key}")
    service.open(session.session_key)
    service.record_consent(
        session.session_id,
        notice_version=NOTICE_VERSION,
        notice_sha256=notice_sha256(shown_text(settings, session.data_policy)),
    )
    _say(f"consent given to notice version {NOTICE_VERSION}, biometric processing included")
    return session.session_id


def _first_frame(media: Path) -> np.ndarray:
    source = VideoFileSource(media / "camera.mp4")
    try:
        return next(item for item in source.frames() if isinstance(item, Frame)).image
    finally:
        source.close()


def _verify_identity(core: KioskCore, session_id: str, media: Path) -> np.ndarray:
    card = cv2.imread(str(media / "id_card.jpg"))
    live = _first_frame(media)
    name = core.service.get(session_id).candidate.full_name
    result = IdVerifier().verify(card, live, name)
    check = id_check_from(result)
    _say(
        f"ID card read: {check.name_on_document!r}, face distance {check.face_distance:.3f} "
        f"-> {'accepted' if result.accepted else 'needs the invigilator'}"
    )
    if not result.accepted:
        raise RuntimeError("the bundled ID card no longer verifies: " + str(result.to_dict()))
    core.service.verify_identity(
        session_id,
        check,
        card_jpeg=cv2.imencode(".jpg", card)[1].tobytes(),
        live_jpeg=cv2.imencode(".jpg", live)[1].tobytes(),
    )
    return live


def _check_devices(core: KioskCore, session_id: str, media: Path, face: np.ndarray) -> None:
    """The device check on the recorded media: a face in the video, a voice in the recording;
    there are no speakers, which the demo's invigilator accepts, as one would at a desk."""
    face_seen = bool(core.face_detector().detect(face))
    loudest = max(level(block) for block in FileSource(media / "answer-01.ogg"))
    check = DeviceCheck(
        face_seen=face_seen,
        microphone_heard=loudest >= HEARD_LEVEL,
        speakers=SpeakerCheck.NOT_PLAYED,
        override_reason="headless demo on recorded media: there are no speakers to hear",
        overridden_by=DEMO_INVIGILATOR,
    )
    core.service.confirm_devices(session_id, check)
    _say(check.describe())


def _show_progress(bus: EventBus) -> None:
    bus.subscribe(
        QuestionAsked,
        lambda e: _say(f"Q{e.number}/{e.total} [{e.question.kind.value}] {e.question.text}"),
    )
    bus.subscribe(
        QuestionSpoken, lambda e: None if e.spoken else _say(f"   (shown only: {e.reason})")
    )
    bus.subscribe(
        AnswerSaved,
        lambda e: _say(
            f"   heard ({e.answer.end_reason}): "
            f"{e.answer.text[:90]}{'...' if len(e.answer.text) > 90 else ''}"
        ),
    )
    bus.subscribe(
        AnswerScored,
        lambda e: _say(
            f"   scored {e.score.overall:.1f}/10 by {e.score.engine}"
            f"{' (provisional)' if e.score.provisional else ''}"
        ),
    )
    bus.subscribe(
        ProctoringFlag,
        lambda e: (
            None
            if e.ongoing
            else _say(
                f"   proctoring: {e.event.kind} {e.event.start:.0f}-{e.event.end:.0f} s of video"
            )
        ),
    )
    bus.subscribe(Progress, lambda e: _say(e.message))
    bus.subscribe(InterviewProblem, lambda e: _say(f"PROBLEM: {e.message}"))


def run_demo(out_root: Path) -> DemoResult:
    data_dir = out_root / datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    data_dir.mkdir(parents=True, exist_ok=False)
    media = resource("demo", "media")
    settings = KioskSettings(data_dir=data_dir, kiosk_id="demo-kiosk")
    core = build_core(
        settings,
        MediaOptions(media, realtime_answers=False, live_camera=False),
        sample_report=True,
    )
    _show_progress(core.bus)
    try:
        session_id = _sample_session(core)
        face = _verify_identity(core, session_id, media)
        _check_devices(core, session_id, media, face)
        live = core.live_interview(session_id)
        _say(f"interview engine: {live.conductor.engine.name}")
        record = live.run(session_id)
        assert record.report is not None
        report_path = data_dir / "report.pdf"
        report_path.write_bytes(core.service.media.read(record.report.pdf))
        return DemoResult(session_id, record.session.session_key, report_path, data_dir)
    finally:
        core.close()


def main(out_root: Path) -> Path:
    started = time.perf_counter()
    result = run_demo(out_root)
    _say(f"done in {time.perf_counter() - started:.0f} s; data in {result.data_dir}")
    print(result.report_path.resolve())
    return result.report_path
