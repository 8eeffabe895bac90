"""The interview loop on real storage, real TTS, real VAD and Whisper, with a scripted engine.

The engine is a small fake (the brain has its own tests); everything the conductor must get
right is real: durability order, resume after a crash, abort, the Done button, a lost microphone.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from tests.sample import candidate, job, settings

from kiosk.brain import EvaluationInputs, InterviewContext, InterviewPlan, Turn
from kiosk.domain.lifecycle import SessionState
from kiosk.domain.model import (
    Answer,
    AnswerScore,
    Criterion,
    CriterionScore,
    FinalEvaluation,
    Question,
    QuestionKind,
    Recommendation,
)
from kiosk.events import EventBus
from kiosk.live.conductor import InterviewConductor
from kiosk.live.events import (
    AnswerSaved,
    Caption,
    InterviewFinished,
    InterviewProblem,
    QuestionAsked,
)
from kiosk.live.voice import QuestionVoice, Spoken
from kiosk.live.writer import SerialWriter
from kiosk.sessions import SessionService, new_id
from kiosk.storage.database import open_database
from kiosk.storage.media import MediaStore
from speech import SAMPLE_RATE, AudioDeviceError, SynthesisOptions, load_audio, synthesize

SPOKEN = (
    "I would add a composite index on customer and date.",
    "Retries with exponential backoff and idempotent jobs.",
    "We deployed on Fridays only after the tests passed.",
)


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> list[np.ndarray]:
    """Each answer as a candidate gives it: a breath of silence, speech, then silence."""
    folder = tmp_path_factory.mktemp("clips")
    silence = np.zeros(SAMPLE_RATE, np.float32)
    out = []
    for text in SPOKEN:
        speech = synthesize(
            text, options=SynthesisOptions(engine="piper", length_scale=1.1), cache_dir=folder
        )
        out.append(np.concatenate([silence, load_audio(speech.path), silence, silence, silence]))
    return out


class ScriptedEngine:
    """Three fixed questions; each score is the answer's word count, capped at 10."""

    name = "scripted"

    def plan(self, context: InterviewContext) -> InterviewPlan:
        return InterviewPlan(slots=(), seconds_per_question=60, engine=self.name)

    def next_question(
        self, context: InterviewContext, plan: InterviewPlan, turns: Sequence[Turn]
    ) -> Question | None:
        if len(turns) >= len(SPOKEN):
            return None
        return Question(
            new_id(),
            len(turns),
            QuestionKind.TECHNICAL,
            f"Question {len(turns) + 1}?",
            engine=self.name,
        )

    def score_answer(
        self, context: InterviewContext, question: Question, answer: Answer
    ) -> AnswerScore:
        value = float(min(10, len(answer.text.split())))
        return AnswerScore(
            answer.answer_id,
            tuple(CriterionScore(c, value) for c in Criterion),
            "ok",
            (answer.text[:20],),
            self.name,
            provisional=True,
        )

    def final_evaluation(
        self, context: InterviewContext, turns: Sequence[Turn], inputs: EvaluationInputs
    ) -> FinalEvaluation:
        return FinalEvaluation({}, (), (), Recommendation.YES, "", self.name, provisional=True)


class ArraySource:
    """An answer's audio from memory; `fail_after` blocks simulates an unplugged microphone."""

    def __init__(self, samples: np.ndarray, fail_after: int | None = None) -> None:
        self._samples = samples
        self._fail_after = fail_after
        self._closed = threading.Event()

    def __iter__(self) -> Iterator[np.ndarray]:
        for number, start in enumerate(range(0, len(self._samples), 512)):
            if self._closed.is_set():
                return
            if self._fail_after is not None and number == self._fail_after:
                raise AudioDeviceError("input device 'USB mic' disappeared")
            yield self._samples[start : start + 512]

    def close(self) -> None:
        self._closed.set()


@dataclass
class ClipAnswers:
    clips: list[np.ndarray]
    crash_at: int | None = None
    unplug_at: int | None = None

    def open(self, question: Question) -> ArraySource:
        if question.index == self.crash_at:
            raise SystemExit("power cut")  # not an Exception: nothing may catch and carry on
        fail_after = 40 if question.index == self.unplug_at else None
        return ArraySource(self.clips[question.index], fail_after)


class SilentVoice(QuestionVoice):
    """No synthesis: these tests are about the loop, and `speech` tests the voice."""

    def speak(self, text: str) -> Spoken:
        return Spoken(False, "test: no speakers", 0.0)


@pytest.fixture
def service(tmp_path: Path) -> Iterator[SessionService]:
    svc = SessionService(open_database(tmp_path / "k.db"), MediaStore(tmp_path / "m"))
    yield svc
    svc.close()


def _ready_session(service: SessionService) -> str:
    session = service.create(candidate(), job(), settings())
    service.open(session.session_key)
    for state in (SessionState.ID_VERIFIED, SessionState.DEVICES_CHECKED):
        service.advance(session.session_id, state)
    return session.session_id


def _conductor(
    service: SessionService,
    answers: ClipAnswers,
    tmp_path: Path,
    bus: EventBus,
    writer: SerialWriter,
) -> InterviewConductor:
    return InterviewConductor(
        service,
        ScriptedEngine(),
        voice=SilentVoice(),
        answers=answers,
        bus=bus,
        writer=writer,
        recordings_dir=tmp_path / "rec",
    )


def test_a_whole_interview_is_transcribed_saved_scored_and_reported(
    service: SessionService, clips: list[np.ndarray], tmp_path: Path
) -> None:
    session_id = _ready_session(service)
    bus, writer, seen = EventBus(), SerialWriter(), []
    bus.subscribe(object, seen.append)
    record = _conductor(service, ClipAnswers(clips), tmp_path, bus, writer).run(session_id)
    writer.close()

    assert record.session.state is SessionState.REPORTED
    assert [a.end_reason for a in record.answers] == ["trailing_silence"] * 3
    assert "composite index" in record.answers[0].text.lower()
    assert "exponential" in record.answers[1].text.lower()
    assert all(a.audio is not None and a.audio.size > SAMPLE_RATE for a in record.answers)
    assert all(a.metrics["words_per_minute"] > 60 for a in record.answers)
    assert len(record.scores) == 3 and record.report is not None
    kinds = [type(e).__name__ for e in seen]
    assert kinds.index("QuestionAsked") < kinds.index("Caption") < kinds.index("AnswerSaved")
    assert (
        isinstance(seen[-1], InterviewFinished)
        and seen[-1].report_sha256 == record.report.pdf.sha256
    )


def test_a_crash_mid_interview_resumes_at_the_question_it_was_on(
    service: SessionService, clips: list[np.ndarray], tmp_path: Path
) -> None:
    session_id = _ready_session(service)
    writer = SerialWriter()
    with pytest.raises(SystemExit):
        _conductor(service, ClipAnswers(clips, crash_at=1), tmp_path, EventBus(), writer).run(
            session_id
        )
    before = service.load(session_id)
    assert before.session.state is SessionState.IN_PROGRESS
    assert len(before.answers) == 1 and len(before.questions) == 2  # Q2 stored, not answered

    bus, asked = EventBus(), []
    bus.subscribe(QuestionAsked, lambda e: asked.append(e.question.index))
    after = _conductor(service, ClipAnswers(clips), tmp_path, bus, writer).run(session_id)
    writer.close()
    assert asked == [1, 2]
    assert after.answers[0] == before.answers[0]  # the finished answer is intact
    assert after.questions[1] == before.questions[1]  # the same question, asked again
    assert len(after.answers) == 3 and after.session.state is SessionState.REPORTED


def test_abort_and_done_button(
    service: SessionService, clips: list[np.ndarray], tmp_path: Path
) -> None:
    session_id = _ready_session(service)
    bus, writer = EventBus(), SerialWriter()
    conductor = _conductor(service, ClipAnswers(clips), tmp_path, bus, writer)
    # Done pressed as soon as the first caption shows; abort when the second question is asked
    bus.subscribe(Caption, lambda e: conductor.finish_answer())
    bus.subscribe(
        QuestionAsked, lambda e: conductor.abort("candidate unwell") if e.number == 2 else None
    )
    record = conductor.run(session_id)
    writer.close()
    assert record.session.state is SessionState.ABORTED
    assert len(record.answers) == 1
    assert record.answers[0].end_reason == "end_of_audio"  # cut short by Done, not by silence


def test_a_microphone_lost_mid_answer_keeps_the_audio_and_pauses(
    service: SessionService, clips: list[np.ndarray], tmp_path: Path
) -> None:
    session_id = _ready_session(service)
    bus, writer, problems, saved = EventBus(), SerialWriter(), [], []
    conductor = _conductor(service, ClipAnswers(clips, unplug_at=0), tmp_path, bus, writer)
    bus.subscribe(
        InterviewProblem,
        lambda e: (problems.append(e.message), threading.Timer(0.2, conductor.resume).start()),
    )
    bus.subscribe(AnswerSaved, saved.append)
    record = conductor.run(session_id)
    writer.close()
    assert problems and "USB mic" in problems[0]
    assert saved[0].answer.end_reason == "device_lost"
    assert record.answers[0].audio is not None and record.answers[0].audio.size >= 40 * 512 * 2
    assert record.session.state is SessionState.REPORTED  # resumed and finished
