"""The final evaluation from scored turns, speech metrics and the proctoring summary.

The figures (criterion means, recommendation, strengths and concerns) come from
`contract.evaluation`, which the hub computes with too.

Speech metrics and proctoring flags are described, cautiously, in the behavioural note; they
never change the scores or the recommendation, which rest on the answers alone, because a
nervous pace or an automated "looked away" flag is not evidence of ability or misconduct.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from contract import evaluation as shared
from kiosk.brain.context import EvaluationInputs, Turn
from kiosk.domain.model import FinalEvaluation


def scored_turns(turns: Sequence[Turn]) -> list[shared.ScoredTurn]:
    """The turns as the shared evaluation arithmetic (`contract.evaluation`) reads them."""
    return [
        shared.ScoredTurn(
            label=t.question.skill or t.question.kind.value,
            kind=t.question.kind.value,
            follow_up=t.question.follow_up_of is not None,
            answered=t.answer is not None,
            criteria=None if t.score is None else {c.criterion.value: c.score
                                                   for c in t.score.criteria},
            flagged=t.score is not None and shared.addressed_the_grader(t.score.feedback),
        )
        for t in turns
    ]


def criterion_means(turns: Sequence[Turn]) -> dict[str, float]:
    """Mean per criterion over scored answers; a follow-up counts with its main question."""
    return shared.criterion_means(scored_turns(turns))


def speech_sentence(metrics: Mapping[str, float]) -> str:
    if not metrics:
        return "No speech metrics were available (typed answers or no audio)."
    parts = []
    wpm = metrics.get("words_per_minute")
    if wpm:
        pace = "a typical" if 110 <= wpm <= 180 else ("a slow" if wpm < 110 else "a fast")
        parts.append(f"spoke at about {wpm:.0f} words per minute ({pace} pace)")
    filler = metrics.get("filler_ratio")
    if filler is not None:
        level = "few" if filler < 0.03 else ("some" if filler < 0.08 else "frequent")
        parts.append(f"used {level} filler words ({filler:.0%} of words)")
    pause = metrics.get("longest_pause")
    if pause is not None:
        parts.append(f"the longest pause was {pause:.1f} s")
    text = "The candidate " + ", ".join(parts) + "." if parts else ""
    return (text + " Pace and fillers vary with nerves, accent and the microphone; they are "
            "context for the reviewer, not a measure of ability.").strip()


def integrity_sentence(integrity: Mapping[str, object]) -> str:
    if not integrity:
        return "No proctoring summary was available."
    level = str(integrity.get("level", "unknown"))
    reasons_value = integrity.get("reasons", ())
    reasons = [str(r) for r in reasons_value] if isinstance(reasons_value, list | tuple) else []
    listed = f": {'; '.join(reasons)}" if reasons else ""
    return (f"Proctoring integrity level '{level}'{listed}. These are automated flags for a "
            "human reviewer to check against the recording, not proof of misconduct, and they "
            "did not affect the scores or the recommendation.")


def offline_evaluation(
    turns: Sequence[Turn], inputs: EvaluationInputs, engine: str, planned: int
) -> FinalEvaluation:
    figures = shared.evaluate(scored_turns(turns), planned)
    note = f"{speech_sentence(inputs.speech_metrics)} {integrity_sentence(inputs.integrity)}"
    provisional = any(t.score is not None and t.score.provisional for t in turns) or not turns
    return FinalEvaluation(figures.overall, figures.strengths, figures.concerns,
                           figures.recommendation, note, engine, provisional)


__all__ = ["criterion_means", "integrity_sentence", "offline_evaluation", "scored_turns",
           "speech_sentence"]
