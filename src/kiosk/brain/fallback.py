"""Composite engine: try the primary (Gemini) for each step, hand the step to the fallback
(offline) when it fails, and record who did what.

Each step falls back on its own, so one 429 storm costs one offline question, not the whole
session. A refused key (GeminiAuthError) switches the primary off for the rest of the session:
retrying a wrong key only adds latency. Domain objects already carry the engine's name; the
`events` log adds why and how long, for the report and for debugging.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from kiosk.brain.context import EvaluationInputs, InterviewContext, InterviewPlan, Turn
from kiosk.brain.engine import EngineError, InterviewEngine
from kiosk.domain.model import Answer, AnswerScore, FinalEvaluation, Question

_log = logging.getLogger(__name__)
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class EngineEvent:
    step: str  # "plan" | "next_question" | "score_answer" | "final_evaluation"
    engine: str  # the engine whose result was used
    fell_back: bool
    reason: str
    ms: float


class FallbackEngine:
    def __init__(self, primary: InterviewEngine, fallback: InterviewEngine) -> None:
        self.primary = primary
        self.fallback = fallback
        self.name = f"{primary.name}+{fallback.name}"
        self.events: list[EngineEvent] = []
        self.primary_disabled = ""

    def _run(self, step: str, call: Callable[[InterviewEngine], R]) -> R:
        started = time.perf_counter()
        reason = self.primary_disabled
        if not reason:
            try:
                result = call(self.primary)
                self.events.append(EngineEvent(step, self.primary.name, False, "",
                                               _ms(started)))
                return result
            except EngineError as error:
                reason = str(error)
                if error.fatal:
                    self.primary_disabled = f"disabled for this session: {reason}"
            except Exception as error:  # an engine bug must not stop the interview
                reason = f"unexpected {type(error).__name__}"
                _log.exception("%s crashed at %s", self.primary.name, step)
            _log.warning("%s failed at %s, using %s: %s", self.primary.name, step,
                         self.fallback.name, reason)
        result = call(self.fallback)
        self.events.append(EngineEvent(step, self.fallback.name, True, reason, _ms(started)))
        return result

    def plan(self, context: InterviewContext) -> InterviewPlan:
        return self._run("plan", lambda e: e.plan(context))

    def next_question(
        self, context: InterviewContext, plan: InterviewPlan, turns: Sequence[Turn]
    ) -> Question | None:
        return self._run("next_question", lambda e: e.next_question(context, plan, turns))

    def score_answer(
        self, context: InterviewContext, question: Question, answer: Answer
    ) -> AnswerScore:
        return self._run("score_answer", lambda e: e.score_answer(context, question, answer))

    def final_evaluation(
        self, context: InterviewContext, turns: Sequence[Turn], inputs: EvaluationInputs
    ) -> FinalEvaluation:
        return self._run("final_evaluation",
                         lambda e: e.final_evaluation(context, turns, inputs))


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


__all__ = ["EngineEvent", "FallbackEngine"]
