"""Helpers for the live-interview tests: a scripted engine, stand-ins for the microphone and the
speakers, a ready session and a proctoring feed on a stand-in camera.

The engine and the devices are the only fakes; storage, TTS, VAD, Whisper and the proctor are
real (see conftest.py for the speech the answers are made of).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from tests.sample import candidate, job, settings, take_to

from contract.rubric import Criterion
from kiosk.brain import EvaluationInputs, InterviewContext, InterviewEngine, InterviewPlan, Turn
from kiosk.brain.context import PlannedSlot
from kiosk.bus import EventBus
from kiosk.domain.lifecycle import SessionState
from kiosk.domain.model import (
    Answer,
    AnswerScore,
    CriterionScore,
    FinalEvaluation,
    Question,
    QuestionKind,
    Recommendation,
)
from kiosk.live.answers import AnswerAudio
from kiosk.live.conductor import ConductorOptions, InterviewConductor, ProctorFactory
from kiosk.live.judging import LiveJudge
from kiosk.live.proctor_feed import ProctorFeed
from kiosk.live.voice import QuestionVoice, Spoken
from kiosk.live.writer import SerialWriter
from kiosk.sessions import SessionService, new_id
from proctor import Detectors, ImageSequenceSource, Policy, Still, load_policy
from speech import AudioDeviceError, synthesize

SPOKEN = (
    "I would add a composite index on customer and date.",
    "Retries with exponential backoff and idempotent jobs.",
    "We deployed on Fridays only after the tests passed.",
)
#: Long enough to read aloud for a few seconds: audio proctoring listens while they are read.
QUESTIONS = (
    "How would you speed up a slow report query on a large orders table?",
    "How do you make background jobs safe to run again after a failure?",
    "What does your team check before a release goes to production?",
)


class ScriptedEngine:
    """Fixed questions (the first `count`); each score is the answer's word count, capped at 10."""

    name = "scripted"

    def __init__(self, count: int = len(QUESTIONS)) -> None:
        self._count = count

    def plan(self, context: InterviewContext) -> InterviewPlan:
        slots = tuple(
            PlannedSlot(i, QuestionKind.TECHNICAL, "", "scripted") for i in range(self._count)
        )
        return InterviewPlan(slots=slots, seconds_per_question=60, engine=self.name)

    def next_question(
        self, context: InterviewContext, plan: InterviewPlan, turns: Sequence[Turn]
    ) -> Question | None:
        if len(turns) >= self._count:
            return None
        return Question(
            new_id(), len(turns), QuestionKind.TECHNICAL, QUESTIONS[len(turns)], engine=self.name
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


#: What a good answer to each of QUESTIONS says, the way a candidate says it.
POINTS = (
    ("Add an index on the columns the query filters on", "Check the plan with EXPLAIN"),
    ("Retry failed jobs with exponential backoff", "Make each job idempotent"),
    ("Run the automated tests before every release", "Deploy only when the tests pass"),
)


class EmbeddingsEngine(ScriptedEngine):
    """The scripted questions with expected points, scored as the kiosk scores offline: the
    fast embeddings pass of the real scorer (provisional), which the judge then re-judges."""

    name = "offline-minilm"

    def __init__(self, count: int = len(QUESTIONS)) -> None:
        from kiosk.brain import OfflineScorer

        super().__init__(count)
        self.scorer = OfflineScorer()

    def next_question(
        self, context: InterviewContext, plan: InterviewPlan, turns: Sequence[Turn]
    ) -> Question | None:
        question = super().next_question(context, plan, turns)
        if question is None:
            return None
        return replace(question, expected_points=POINTS[question.index])

    def score_answer(
        self, context: InterviewContext, question: Question, answer: Answer
    ) -> AnswerScore:
        return self.scorer.assess(question, answer.answer_id, answer.text, answer.metrics,
                                  use_judge=False).score


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


class LoudspeakerVoice(QuestionVoice):
    """Real piper speech, "played" by waiting as long as it lasts.

    Test machines have no audio output, so `play` would return at once; on a kiosk it blocks
    while the question plays, and audio proctoring must listen through exactly that time.
    """

    def speak(self, text: str) -> Spoken:
        speech = synthesize(text, options=self._options, cache_dir=self._cache_dir)
        time.sleep(speech.duration)
        return Spoken(True, "", speech.duration)


def ready_session(service: SessionService) -> str:
    session = service.create(candidate(), job(), settings())
    take_to(service, session.session_id, SessionState.DEVICES_CHECKED)
    return session.session_id


#: The bundled policy with person detection run rarely: these tests are about the audio events.
def quiet_policy() -> Policy:
    policy = load_policy()
    detection = policy.detection.model_copy(update={"object_rate_hz": 0.2})
    return policy.model_copy(update={"detection": detection})


def proctor_feeds(
    face: np.ndarray,
    service: SessionService,
    writer: SerialWriter,
    bus: EventBus,
    *,
    camera_seconds: float = 600.0,
    recorded: bool = False,
) -> tuple[list[ProctorFeed], Callable[[str], ProctorFeed]]:
    """Real proctoring runs, each watching a live stand-in camera (one calm face) for
    `camera_seconds`, or a recording of it read as fast as it can be analysed (`recorded`);
    the list holds every feed made, the current one last."""
    detectors = Detectors(quiet_policy())
    feeds: list[ProctorFeed] = []

    def feed(session_id: str) -> ProctorFeed:
        camera = ImageSequenceSource(
            [Still(face, camera_seconds)], fps=2.0, realtime=not recorded
        )
        feeds.append(
            ProctorFeed(
                detectors, camera, session_id=session_id, service=service, writer=writer, bus=bus
            )
        )
        return feeds[-1]

    return feeds, feed


def conductor(
    service: SessionService,
    answers: AnswerAudio,
    tmp_path: Path,
    bus: EventBus,
    writer: SerialWriter,
    *,
    engine: InterviewEngine | None = None,
    voice: QuestionVoice | None = None,
    feed: ProctorFactory | None = None,
    options: ConductorOptions | None = None,
    judge: LiveJudge | None = None,
) -> InterviewConductor:
    """The conductor as the kiosk wires it, with a scripted engine and silent voice unless
    told otherwise: the one factory every live test uses."""
    return InterviewConductor(
        service,
        engine or ScriptedEngine(),
        voice=voice or SilentVoice(),
        answers=answers,
        bus=bus,
        writer=writer,
        recordings_dir=tmp_path / "rec",
        proctor=feed,
        policy=quiet_policy(),
        options=options,
        judge=judge,
    )
