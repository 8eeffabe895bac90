"""A whole interview as a loop over text: engine in, domain objects out.

No terminal, audio or storage here: answers come from any iterator of strings and output goes
to any callback, so the CLI, tests and (later) the kiosk UI drive the same loop, and the lead
can persist each `Turn` as it is produced through `on_turn`. A message starting with "?" is
routed to the help chatbot instead of being taken as the answer.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from kiosk.brain.context import EvaluationInputs, InterviewContext, InterviewPlan, Turn
from kiosk.brain.engine import InterviewEngine
from kiosk.brain.helpdesk import HelpDesk
from kiosk.domain.model import Answer, AnswerScore, FinalEvaluation, Question

HELP_PREFIX = "?"
#: A safety stop: never more than plan x 2 questions (each main question + one follow-up).
_MAX_FOLLOW_UP_FACTOR = 2


@dataclass(frozen=True, slots=True)
class InterviewResult:
    plan: InterviewPlan
    turns: tuple[Turn, ...]
    evaluation: FinalEvaluation
    timings: dict[str, float]
    ended_early: bool

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(t.question for t in self.turns)

    @property
    def answers(self) -> tuple[Answer, ...]:
        return tuple(t.answer for t in self.turns if t.answer is not None)

    @property
    def scores(self) -> tuple[AnswerScore, ...]:
        return tuple(t.score for t in self.turns if t.score is not None)


@dataclass
class TextInterview:
    engine: InterviewEngine
    context: InterviewContext
    answers: Iterator[str]
    output: Callable[[str], None]
    helpdesk: HelpDesk | None = None
    inputs: EvaluationInputs = field(default_factory=EvaluationInputs)
    on_turn: Callable[[Turn], None] | None = None
    clock: Callable[[], float] = time.monotonic

    def _read_answer(self, question: Question, limit: int) -> tuple[str, float] | None:
        started = self.clock()
        for line in self.answers:
            if line.strip().startswith(HELP_PREFIX):
                if self.helpdesk is None:
                    self.helpdesk = HelpDesk(self.context.settings)
                left = int(limit - (self.clock() - started))
                reply = self.helpdesk.reply(line.strip()[1:], question, left)
                self.output(f"[help] {reply.text}")
                continue
            return line, self.clock() - started
        return None

    def run(self) -> InterviewResult:
        t0 = time.perf_counter()
        plan = self.engine.plan(self.context)
        limit = plan.seconds_per_question
        self.output(f"Interview for {self.context.job.title}: {len(plan.slots)} questions, "
                    f"about {limit // 60} min each. Type '?' followed by a message for help.")
        if self.context.job_profile.language_note:
            self.output(f"Note: {self.context.job_profile.language_note}")
        turns: list[Turn] = []
        ended_early = False
        while len(turns) < len(plan.slots) * _MAX_FOLLOW_UP_FACTOR:
            q_started = time.perf_counter()
            question = self.engine.next_question(self.context, plan, turns)
            question_ms = (time.perf_counter() - q_started) * 1000
            if question is None:
                break
            self.output(f"\nQuestion {len(turns) + 1} ({question.kind.value}): {question.text}")
            read = self._read_answer(question, limit)
            if read is None:
                turns.append(Turn(question, None, None, {"question_ms": round(question_ms, 1)}))
                ended_early = True
                self.output("No more answers: ending the interview.")
                break
            text, seconds = read
            answer = self._answer(question, text, seconds, limit)
            s_started = time.perf_counter()
            score = self.engine.score_answer(self.context, question, answer)
            score_ms = (time.perf_counter() - s_started) * 1000
            turn = Turn(question, answer, score,
                        {"question_ms": round(question_ms, 1), "score_ms": round(score_ms, 1),
                         "answer_s": round(seconds, 2)})
            turns.append(turn)
            if self.on_turn is not None:
                self.on_turn(turn)
            self.output(f"  scored {score.overall:.1f}/10 by {score.engine}"
                        f"{' (provisional)' if score.provisional else ''}")
        e_started = time.perf_counter()
        evaluation = self.engine.final_evaluation(self.context, turns, self.inputs)
        timings = {"evaluation_ms": round((time.perf_counter() - e_started) * 1000, 1),
                   "total_s": round(time.perf_counter() - t0, 2)}
        return InterviewResult(plan, tuple(turns), evaluation, timings, ended_early)

    @staticmethod
    def _answer(question: Question, text: str, seconds: float, limit: int) -> Answer:
        words = len(text.split())
        metrics: Mapping[str, float] = {"words": float(words)}
        return Answer(
            answer_id=uuid.uuid4().hex,
            question_id=question.question_id,
            text=text.strip(),
            end_reason="time_limit" if seconds > limit else "typed",
            metrics=dict(metrics),
        )


__all__ = ["HELP_PREFIX", "InterviewResult", "TextInterview"]
