"""The final evaluation from scored turns, speech metrics and the proctoring summary.

Speech metrics and proctoring flags are described, cautiously, in the behavioural note; they
never change the scores or the recommendation, which rest on the answers alone, because a
nervous pace or an automated "looked away" flag is not evidence of ability or misconduct.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from contract.rubric import Criterion
from kiosk.brain.context import EvaluationInputs, Turn
from kiosk.domain.model import FinalEvaluation, QuestionKind, Recommendation

_STRONG = 7.5
_YES = 6.0
_NO = 4.0


def criterion_means(turns: Sequence[Turn]) -> dict[str, float]:
    """Mean per criterion over scored answers; a follow-up counts with its main question."""
    sums: dict[str, list[float]] = {c.value: [] for c in Criterion}
    for turn in turns:
        if turn.score is None or turn.question.kind == QuestionKind.CLOSING:
            continue
        for item in turn.score.criteria:
            sums[item.criterion.value].append(item.score)
    return {k: round(sum(v) / len(v), 2) if v else 0.0 for k, v in sums.items()}


def recommend(overall: Mapping[str, float], answered: int, planned: int) -> Recommendation:
    mean = sum(overall.values()) / max(len(overall), 1)
    if planned and answered < planned / 2:
        mean = min(mean, _NO)  # too little evidence for a yes
    if mean >= _STRONG:
        return Recommendation.STRONG_YES
    if mean >= _YES:
        return Recommendation.YES
    if mean >= _NO:
        return Recommendation.NO
    return Recommendation.STRONG_NO


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


def strengths_and_concerns(turns: Sequence[Turn]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    strengths, concerns = [], []
    for turn in turns:
        if turn.score is None:
            continue
        label = turn.question.skill or turn.question.kind.value
        if turn.score.overall >= _YES:
            strengths.append(f"{label}: strong answer ({turn.score.overall:.1f}/10)")
        elif turn.score.overall < _NO and turn.question.kind != QuestionKind.CLOSING:
            concerns.append(f"{label}: weak or missing answer ({turn.score.overall:.1f}/10)")
        if "grader" in turn.score.feedback:
            concerns.append(f"{label}: the answer contained text addressed to the grader")
    unanswered = sum(1 for t in turns if t.answer is None)
    if unanswered:
        concerns.append(f"{unanswered} question(s) were not answered")
    return tuple(dict.fromkeys(strengths))[:5], tuple(dict.fromkeys(concerns))[:6]


def offline_evaluation(
    turns: Sequence[Turn], inputs: EvaluationInputs, engine: str, planned: int
) -> FinalEvaluation:
    overall = criterion_means(turns)
    answered = sum(1 for t in turns if t.answer is not None and t.question.follow_up_of is None)
    strengths, concerns = strengths_and_concerns(turns)
    note = f"{speech_sentence(inputs.speech_metrics)} {integrity_sentence(inputs.integrity)}"
    provisional = any(t.score is not None and t.score.provisional for t in turns) or not turns
    return FinalEvaluation(overall, strengths, concerns, recommend(overall, answered, planned),
                           note, engine, provisional)


__all__ = ["criterion_means", "integrity_sentence", "offline_evaluation", "recommend",
           "speech_sentence", "strengths_and_concerns"]
