"""The evaluation's arithmetic, as kiosk and hub both compute it: per-criterion means of the
answers' scores, the recommendation they lead to, and the strengths and concerns they show.

The kiosk evaluates when an interview ends and again when its last provisional score becomes
final; the hub evaluates again after it re-scores provisional answers with Gemini. Both call
`evaluate` here, so the same scores give the same recommendation wherever it was made.
Speech metrics and proctoring flags never enter it: a nervous pace or an automated flag is not
evidence of ability (the behavioural note describes them, apart).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from contract.rubric import Criterion

STRONG = 7.5
YES = 6.0
NO = 4.0
#: Questions whose answers are not evidence of ability (a closing "any questions for us?").
UNSCORED_KINDS = frozenset({"closing"})


class Recommendation(StrEnum):
    STRONG_YES = "strong_yes"
    YES = "yes"
    NO = "no"
    STRONG_NO = "strong_no"


RECOMMENDATION_WORDS = {
    Recommendation.STRONG_YES: "Strongly recommend",
    Recommendation.YES: "Recommend",
    Recommendation.NO: "Do not recommend",
    Recommendation.STRONG_NO: "Strongly do not recommend",
}


@dataclass(frozen=True, slots=True)
class ScoredTurn:
    """One question of an interview as the evaluation sees it."""

    label: str  # the skill it probed, or its kind
    kind: str  # "technical", "follow_up", "closing", ...
    follow_up: bool
    answered: bool
    #: The answer's latest score per criterion (0-10); None when it was not scored.
    criteria: Mapping[str, float] | None = None
    #: The answer addressed the grader (the score's feedback says so).
    flagged: bool = False

    @property
    def overall(self) -> float:
        if not self.criteria:
            return 0.0
        return round(sum(self.criteria.values()) / len(self.criteria), 2)


@dataclass(frozen=True, slots=True)
class Figures:
    """What the scores say: the part of an evaluation both sides compute."""

    overall: dict[str, float]
    recommendation: Recommendation
    strengths: tuple[str, ...] = ()
    concerns: tuple[str, ...] = field(default_factory=tuple)


def criterion_means(turns: Sequence[ScoredTurn]) -> dict[str, float]:
    """Mean per criterion over scored answers; a follow-up counts with its main question."""
    sums: dict[str, list[float]] = {c.value: [] for c in Criterion}
    for turn in turns:
        if turn.criteria is None or turn.kind in UNSCORED_KINDS:
            continue
        for name, value in turn.criteria.items():
            sums.setdefault(name, []).append(value)
    return {k: round(sum(v) / len(v), 2) if v else 0.0 for k, v in sums.items()}


def recommend(overall: Mapping[str, float], answered: int, planned: int) -> Recommendation:
    """The recommendation for these criterion means; fewer than half the planned main questions
    answered is too little evidence for a yes."""
    mean = sum(overall.values()) / max(len(overall), 1)
    if planned and answered < planned / 2:
        mean = min(mean, NO)
    if mean >= STRONG:
        return Recommendation.STRONG_YES
    if mean >= YES:
        return Recommendation.YES
    if mean >= NO:
        return Recommendation.NO
    return Recommendation.STRONG_NO


def strengths_and_concerns(
    turns: Sequence[ScoredTurn],
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    strengths, concerns = [], []
    for turn in turns:
        if turn.criteria is None:
            continue
        if turn.overall >= YES:
            strengths.append(f"{turn.label}: strong answer ({turn.overall:.1f}/10)")
        elif turn.overall < NO and turn.kind not in UNSCORED_KINDS:
            concerns.append(f"{turn.label}: weak or missing answer ({turn.overall:.1f}/10)")
        if turn.flagged:
            concerns.append(f"{turn.label}: the answer contained text addressed to the grader")
    unanswered = sum(1 for t in turns if not t.answered)
    if unanswered:
        concerns.append(f"{unanswered} question(s) were not answered")
    return tuple(dict.fromkeys(strengths))[:5], tuple(dict.fromkeys(concerns))[:6]


def evaluate(turns: Sequence[ScoredTurn], planned: int) -> Figures:
    """The figures of an evaluation from the interview's turns and its planned main questions."""
    overall = criterion_means(turns)
    answered = sum(1 for t in turns if t.answered and not t.follow_up)
    strengths, concerns = strengths_and_concerns(turns)
    return Figures(overall, recommend(overall, answered, planned), strengths, concerns)


def addressed_the_grader(feedback: str) -> bool:
    """Whether a score's feedback says the answer addressed the grader (both the offline scorer
    and the shared Gemini rules say so in words that name the grader)."""
    return "grader" in feedback


__all__ = [
    "RECOMMENDATION_WORDS",
    "Figures",
    "Recommendation",
    "ScoredTurn",
    "addressed_the_grader",
    "criterion_means",
    "evaluate",
    "recommend",
    "strengths_and_concerns",
]
