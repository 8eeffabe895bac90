"""The interview loop on real storage, real TTS, real VAD and Whisper, with a scripted engine.

The engine is a small fake (the brain has its own tests); everything the conductor must get
right is real: durability order, resume after a crash, abort, the Done button, a lost microphone.
"""

from __future__ import annotations

import io
import threading
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from pypdf import PdfReader
from tests.integration.live.livekit import (
    QUESTIONS,
    ClipAnswers,
    ScriptedEngine,
    conductor,
    proctor_feeds,
    ready_session,
)
from tests.sample import candidate, job, take_to

from kiosk.bus import EventBus
from kiosk.domain.lifecycle import SessionState
from kiosk.domain.model import Answer, Question, QuestionKind, SessionSettings
from kiosk.live.announcements import (
    AnswerClockStarted,
    AnswerSaved,
    Caption,
    InterviewFinished,
    InterviewProblem,
    QuestionAsked,
)
from kiosk.live.interruption import InterviewInterrupted
from kiosk.live.writer import SerialWriter
from kiosk.sessions import SessionService, new_id
from speech import SAMPLE_RATE, FileSource


def test_a_whole_interview_is_transcribed_saved_scored_and_reported(
    service: SessionService, clips: list[np.ndarray], tmp_path: Path
) -> None:
    session_id = ready_session(service)
    bus, writer, seen = EventBus(), SerialWriter(), []
    bus.subscribe(object, seen.append)
    record = conductor(service, ClipAnswers(clips), tmp_path, bus, writer).run(session_id)
    writer.close()

    assert record.session.state is SessionState.REPORTED
    assert [a.end_reason for a in record.answers] == ["trailing_silence"] * 3
    assert "composite index" in record.answers[0].text.lower()
    assert "exponential" in record.answers[1].text.lower()
    assert all(a.audio is not None and a.audio.size > SAMPLE_RATE for a in record.answers)
    # one copy of each answer's audio: FLAC in the media store, no recorder draft beside it
    assert all(a.audio is not None and a.audio.content_type == "audio/flac" for a in record.answers)
    assert [p for p in (tmp_path / "rec").rglob("*") if p.is_file()] == []
    assert all(a.metrics["words_per_minute"] > 60 for a in record.answers)
    assert len(record.scores) == 3 and record.report is not None
    # the resume's fit with the job is kept with the session: HR's python and sql, both on the
    # resume; this scripted engine's plan has no slots, so none is planned (the bank planner's
    # coverage is in tests/integration/core/test_job_fit.py)
    assert record.fit is not None
    assert {(r.requirement, r.met) for r in record.fit.required} == {("python", True),
                                                                     ("sql", True)}
    assert all(r.planned_main_question is None for r in record.fit.required)
    kinds = [type(e).__name__ for e in seen]
    assert kinds.index("QuestionAsked") < kinds.index("Caption") < kinds.index("AnswerSaved")
    assert (
        isinstance(seen[-1], InterviewFinished)
        and seen[-1].report_sha256 == record.report.pdf.sha256
    )


def test_a_crash_mid_interview_resumes_at_the_question_it_was_on(
    service: SessionService, clips: list[np.ndarray], tmp_path: Path
) -> None:
    session_id = ready_session(service)
    writer = SerialWriter()
    with pytest.raises(SystemExit):
        conductor(service, ClipAnswers(clips, crash_at=1), tmp_path, EventBus(), writer).run(
            session_id
        )
    before = service.load(session_id)
    assert before.session.state is SessionState.IN_PROGRESS and before.fit is not None
    assert len(before.answers) == 1 and len(before.questions) == 2  # Q2 stored, not answered

    # what a power cut mid-answer leaves: the recorder's draft of an answer never saved
    draft = tmp_path / "rec" / "cut-short.wav.partial"
    draft.parent.mkdir(exist_ok=True)
    draft.write_bytes(b"RIFF....WAVEfmt ")

    bus, asked = EventBus(), []
    bus.subscribe(QuestionAsked, lambda e: asked.append(e.question.index))
    after = conductor(service, ClipAnswers(clips), tmp_path, bus, writer).run(session_id)
    writer.close()
    assert not draft.exists()  # personal data nothing refers to: erased on resume
    assert asked == [1, 2]
    assert after.answers[0] == before.answers[0]  # the finished answer is intact
    assert after.questions[1] == before.questions[1]  # the same question, asked again
    assert len(after.answers) == 3 and after.session.state is SessionState.REPORTED
    assert after.fit == before.fit
    with service._uow() as uow:  # made once: a resumed interview does not send it again
        assert [r.topic for r in uow.outbox.pending(limit=1000)].count("fit") == 1


class _ProbingEngine(ScriptedEngine):
    """Two planned questions; the first answer gets a follow-up, as a thin answer would."""

    def __init__(self) -> None:
        super().__init__(count=2)

    def next_question(self, context, plan, turns):  # type: ignore[no-untyped-def]
        if len(turns) == 1:
            return Question(
                new_id(), 1, QuestionKind.FOLLOW_UP, QUESTIONS[1], engine=self.name,
                follow_up_of=turns[0].question.question_id,
            )
        if len(turns) >= 3:
            return None
        return Question(new_id(), len(turns), QuestionKind.TECHNICAL, QUESTIONS[len(turns)])


def test_the_count_is_of_planned_questions_and_a_follow_up_keeps_its_questions_number(
    service: SessionService, clips: list[np.ndarray], tmp_path: Path
) -> None:
    """Settings ask for 3 questions, the plan has 2, and a follow-up is added: the candidate is
    told "1 of 2", a follow-up to 1, then "2 of 2", never "of about" a number that grows."""
    session_id = ready_session(service)
    assert service.get(session_id).settings.question_count == 3
    bus, writer = EventBus(), SerialWriter()
    asked: list[tuple[int, int, int, bool]] = []
    bus.subscribe(
        QuestionAsked, lambda e: asked.append((e.question.index, e.number, e.total, e.follow_up))
    )
    record = conductor(
        service, ClipAnswers(clips), tmp_path, bus, writer, engine=_ProbingEngine()
    ).run(session_id)
    writer.close()
    assert len(record.answers) == 3
    assert asked == [(0, 1, 2, False), (1, 1, 2, True), (2, 2, 2, False)]


def test_abort_and_done_button(
    service: SessionService, clips: list[np.ndarray], tmp_path: Path
) -> None:
    session_id = ready_session(service)
    bus, writer = EventBus(), SerialWriter()
    running = conductor(service, ClipAnswers(clips), tmp_path, bus, writer)
    # Done pressed as soon as the first caption shows; abort when the second question is asked
    bus.subscribe(Caption, lambda e: running.finish_answer())
    bus.subscribe(
        QuestionAsked, lambda e: running.abort("candidate unwell") if e.number == 2 else None
    )
    record = running.run(session_id)
    writer.close()
    assert record.session.state is SessionState.ABORTED
    assert len(record.answers) == 1
    assert record.answers[0].end_reason == "end_of_audio"  # cut short by Done, not by silence


def test_a_shutdown_while_paused_stops_the_run_and_its_recording_now(
    service: SessionService, clips: list[np.ndarray], face: np.ndarray, tmp_path: Path
) -> None:
    """The kiosk closing while the invigilator has paused the interview: the run waiting to
    resume must stop as a power cut would, and so must proctoring of a recording (analysing
    the rest of a ten-minute video first held the shutdown for minutes)."""
    session_id = ready_session(service)
    bus, writer = EventBus(), SerialWriter()
    hour = 3600.0
    feeds, feed = proctor_feeds(face, service, writer, bus, camera_seconds=hour, recorded=True)
    running = conductor(service, ClipAnswers(clips), tmp_path, bus, writer, feed=feed)
    bus.subscribe(QuestionAsked, lambda e: running.pause() if e.number == 1 else None)
    paused_after: list[int] = []

    def shut_down_once_held(event: AnswerSaved) -> None:
        paused_after.append(len(service.load(session_id).answers))
        threading.Timer(0.5, running.interrupt).start()

    bus.subscribe(AnswerSaved, shut_down_once_held)
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            running.run(session_id)
        except BaseException as error:  # asserted below
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)  # a run that never stops fails, not hangs
    thread.start()
    thread.join(timeout=300)
    assert not thread.is_alive(), "the paused run did not stop when the kiosk shut down"
    assert len(outcome) == 1 and isinstance(outcome[0], InterviewInterrupted)
    writer.close()
    record = service.load(session_id)
    assert paused_after == [1]  # held after the first answer, as the pause asked
    assert record.session.state is SessionState.IN_PROGRESS  # to be resumed at the next start
    assert len(record.answers) == 1 and len(record.questions) == 1
    print(f"analysed {feeds[0].analysed_seconds:.0f} s of the hour's recording")
    assert feeds[0].stopped and feeds[0].analysed_seconds < hour - 60


def test_a_microphone_lost_mid_answer_keeps_the_audio_and_pauses(
    service: SessionService, clips: list[np.ndarray], tmp_path: Path
) -> None:
    session_id = ready_session(service)
    bus, writer, problems, saved = EventBus(), SerialWriter(), [], []
    running = conductor(service, ClipAnswers(clips, unplug_at=0), tmp_path, bus, writer)
    bus.subscribe(
        InterviewProblem,
        lambda e: (problems.append(e.message), threading.Timer(0.2, running.resume).start()),
    )
    bus.subscribe(AnswerSaved, saved.append)
    record = running.run(session_id)
    writer.close()
    assert problems and "USB mic" in problems[0]
    assert saved[0].answer.end_reason == "device_lost"
    kept = record.answers[0].audio
    assert kept is not None  # every sample heard before the microphone went, as FLAC
    assert sf.info(io.BytesIO(service.media.read(kept.sha256))).frames >= 40 * 512
    assert record.session.state is SessionState.REPORTED  # resumed and finished


def test_extra_time_given_mid_answer_lets_that_answer_run_past_its_limit(
    service: SessionService, clips: list[np.ndarray], tmp_path: Path
) -> None:
    """Three seconds per question cuts the first clip short, unless the invigilator steps in."""

    def first_answer(extend_while_answering: bool) -> Answer:
        session = service.create(
            candidate(), job(), SessionSettings(question_count=1, seconds_per_question=3)
        )
        take_to(service, session.session_id, SessionState.DEVICES_CHECKED)
        bus, writer = EventBus(), SerialWriter()
        running = conductor(
            service, ClipAnswers(clips), tmp_path, bus, writer, engine=ScriptedEngine(count=1)
        )
        if extend_while_answering:  # the answer's clock runs: the listener is already on it
            bus.subscribe(AnswerClockStarted, lambda e: running.extend_time(30))
        record = running.run(session.session_id)
        writer.close()
        return record.answers[0]

    cut, extended = first_answer(False), first_answer(True)
    clip_seconds = clips[0].size / SAMPLE_RATE
    assert clip_seconds > 5.0  # the premise: the clip is longer than the limit
    assert cut.end_reason == "max_length"
    assert cut.metrics["audio_seconds"] == pytest.approx(3.0, abs=0.2)
    assert extended.end_reason == "trailing_silence"
    assert extended.metrics["audio_seconds"] > 4.5
    assert len(extended.text.split()) > len(cut.text.split())


class TruncatedRecording(ClipAnswers):
    """The second answer comes from a recording cut off while it was copied: its WAV header
    announces more audio than the file holds."""

    def __init__(self, clips: list[np.ndarray], folder: Path) -> None:
        super().__init__(clips)
        self.path = folder / "answer-2.wav"
        sf.write(self.path, clips[1], SAMPLE_RATE, subtype="PCM_16")
        whole = self.path.read_bytes()
        self.path.write_bytes(whole[: len(whole) * 2 // 3])

    def open(self, question: Question):  # type: ignore[override]
        return FileSource(self.path) if question.index == 1 else super().open(question)


def test_a_damaged_answer_recording_is_kept_apart_never_scored_as_a_short_answer(
    service: SessionService, clips: list[np.ndarray], tmp_path: Path
) -> None:
    session_id = ready_session(service)
    bus, writer, problems = EventBus(), SerialWriter(), []
    running = conductor(service, TruncatedRecording(clips, tmp_path), tmp_path, bus, writer)
    bus.subscribe(
        InterviewProblem,
        lambda e: (problems.append(e.message), threading.Timer(0.2, running.resume).start()),
    )
    record = running.run(session_id)
    writer.close()

    damaged = record.answers[1]
    assert damaged.recording_damaged and damaged.text == "" and damaged.audio is None
    assert problems and "damaged" in problems[0] and "only" in problems[0]
    assert set(record.scores) == {record.answers[0].answer_id,
                                  record.answers[2].answer_id}
    assert record.session.state is SessionState.REPORTED  # the invigilator resumed; it finished
    text = "".join(page.extract_text() for page in PdfReader(
        io.BytesIO(service.media.read(record.report.pdf))).pages)
    assert "recording of this answer was damaged" in " ".join(text.split())
