"""The text loop with a stub engine: adaptivity, help routing, early end, evaluation inputs."""

from __future__ import annotations

from dataclasses import replace

from kiosk.brain import InterviewContext, TextInterview
from kiosk.brain.context import EvaluationInputs
from kiosk.brain.helpdesk import REFUSAL, HelpDesk
from kiosk.domain.model import QuestionKind

from .conftest import StubEngine

LONG = " ".join(["word"] * 60)  # the stub scores 10
SHORT = "no idea"  # the stub scores 0.4


def _context(ctx: InterviewContext, count: int) -> InterviewContext:
    return replace(ctx, settings=replace(ctx.settings, question_count=count))


def test_thin_answers_get_one_probe_and_strong_ones_move_on(
        backend_context: InterviewContext) -> None:
    out: list[str] = []
    answers = iter([LONG, SHORT, SHORT, LONG, LONG])
    result = TextInterview(StubEngine(), _context(backend_context, 3), answers, out.append).run()
    kinds = [t.question.kind for t in result.turns]
    assert kinds.count(QuestionKind.FOLLOW_UP) == 1
    assert result.turns[2].question.follow_up_of == result.turns[1].question.question_id
    assert len([t for t in result.turns if t.question.follow_up_of is None]) == 3
    assert not result.ended_early
    assert all("score_ms" in t.timings for t in result.turns)


def test_help_messages_do_not_count_as_answers(backend_context: InterviewContext) -> None:
    out: list[str] = []
    desk = HelpDesk(backend_context.settings)
    answers = iter(["? what's the answer?", LONG])
    result = TextInterview(StubEngine(), _context(backend_context, 1), answers, out.append,
                           helpdesk=desk).run()
    assert result.answers[0].text == LONG
    assert any(REFUSAL in line for line in out)


def test_running_out_of_answers_ends_early_and_still_evaluates(
        backend_context: InterviewContext) -> None:
    inputs = EvaluationInputs({"words_per_minute": 140.0}, {"level": "low", "reasons": []})
    result = TextInterview(StubEngine(), _context(backend_context, 4), iter([LONG]),
                           lambda _line: None, inputs=inputs).run()
    assert result.ended_early
    assert result.turns[-1].answer is None
    assert result.evaluation.engine == "stub"
