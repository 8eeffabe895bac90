"""`make demo`: a complete interview, headless, on the bundled recorded media, ending in a PDF.

It is the kiosk's own pipeline with files in place of devices: the ID card is read and the face
matched for real, the questions come from the interview engine (offline; Gemini when a key is
set) and are synthesised by the on-device voice, the recorded answers are endpointed and
transcribed by Whisper, the recorded webcam video is proctored, and the report is written.
The candidate, resume, job and media are invented and labelled SAMPLE DATA.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import cv2

from kiosk.domain.consent import NOTICE_VERSION, notice_sha256, shown_text
from kiosk.domain.lifecycle import SessionState
from kiosk.domain.model import Candidate, JobDescription, SessionSettings
from kiosk.engines import build_engine
from kiosk.events import EventBus
from kiosk.live.answers import RecordedAnswers
from kiosk.live.conductor import ConductorOptions, InterviewConductor
from kiosk.live.events import (
    AnswerSaved,
    AnswerScored,
    InterviewProblem,
    ProctoringFlag,
    Progress,
    QuestionAsked,
    QuestionSpoken,
)
from kiosk.live.proctor_feed import ProctorFeed
from kiosk.live.voice import QuestionVoice
from kiosk.live.writer import SerialWriter
from kiosk.proctoring import id_check_from
from kiosk.resources import resource
from kiosk.sessions import SessionService
from kiosk.settings import KioskSettings
from kiosk.storage.database import open_database
from kiosk.storage.media import MediaStore
from proctor import Frame, ProctorSession, VideoFileSource
from proctor.idcheck import IdVerifier


@dataclass(frozen=True)
class DemoResult:
    session_id: str
    session_key: str
    report_path: Path
    data_dir: Path


def _say(message: str) -> None:
    print(f"[demo] {message}", flush=True)


def _sample_session(service: SessionService) -> str:
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
        notice_sha256=notice_sha256(shown_text(settings)),
        biometric=True,
    )
    _say(f"consent given to notice version {NOTICE_VERSION}, biometric processing included")
    return session.session_id


def _verify_identity(service: SessionService, session_id: str, media: Path) -> None:
    card = cv2.imread(str(media / "id_card.jpg"))
    source = VideoFileSource(media / "camera.mp4")
    live = next(item for item in source.frames() if isinstance(item, Frame)).image
    source.close()
    name = service.get(session_id).candidate.full_name
    result = IdVerifier().verify(card, live, name)
    check = id_check_from(result)
    _, card_jpeg = cv2.imencode(".jpg", card)
    _, live_jpeg = cv2.imencode(".jpg", live)
    service.record_id_check(
        session_id, check, card_jpeg=card_jpeg.tobytes(), live_jpeg=live_jpeg.tobytes()
    )
    _say(
        f"ID card read: {check.name_on_document!r}, face distance {check.face_distance:.3f} "
        f"-> {'accepted' if result.accepted else 'needs the invigilator'}"
    )
    if not result.accepted:
        raise RuntimeError("the bundled ID card no longer verifies: " + str(result.to_dict()))
    service.advance(session_id, SessionState.ID_VERIFIED, "ID card and face verified")
    service.advance(
        session_id,
        SessionState.DEVICES_CHECKED,
        "recorded media stand in for camera and microphone (headless demo)",
    )


def _recorded_answers(media: Path) -> RecordedAnswers:
    script = json.loads(resource("demo", "interview.json").read_text(encoding="utf-8"))
    recordings = {item["question"]: media / item["recording"] for item in script["answers"]}
    return RecordedAnswers(recordings, fallback=recordings.pop("*"))


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
    service = SessionService(
        open_database(data_dir / "kiosk.sqlite3"),
        MediaStore(data_dir / "media"),
        kiosk_id="demo-kiosk",
    )
    writer = SerialWriter()
    bus = EventBus()
    _show_progress(bus)
    try:
        session_id = _sample_session(service)
        _verify_identity(service, session_id, media)
        engine = build_engine(KioskSettings())
        _say(f"interview engine: {engine.name}")
        proctor = ProctorSession()
        conductor = InterviewConductor(
            service,
            engine,
            voice=QuestionVoice(cache_dir=data_dir / "tts"),
            answers=_recorded_answers(media),
            bus=bus,
            writer=writer,
            recordings_dir=data_dir / "recordings",
            proctor=lambda sid: ProctorFeed(
                proctor,
                VideoFileSource(media / "camera.mp4"),
                session_id=sid,
                service=service,
                writer=writer,
                bus=bus,
            ),
            options=ConductorOptions(sample_report=True),
        )
        record = conductor.run(session_id)
        assert record.report is not None
        report_path = data_dir / "report.pdf"
        report_path.write_bytes(service.media.read(record.report.pdf))
        return DemoResult(session_id, record.session.session_key, report_path, data_dir)
    finally:
        writer.close()
        service.close()


def main(out_root: Path) -> Path:
    started = time.perf_counter()
    result = run_demo(out_root)
    _say(f"done in {time.perf_counter() - started:.0f} s; data in {result.data_dir}")
    print(result.report_path.resolve())
    return result.report_path
