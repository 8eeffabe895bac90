"""What a report shows, as plain frozen dataclasses that kiosk and hub each fill from storage.

Pictures (ID photos, snapshots) are named by the sha256 of their bytes; the renderer asks the
caller for the bytes (`render.Pictures`), so a record holds no file and no database handle.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from contract.evaluation import Recommendation
from contract.fit import JobFit
from contract.privacy import DataPolicy
from contract.proctoring import EventKind, IntegritySummary, Severity
from contract.rubric import DecidedBy, Verdict


@dataclass(frozen=True, slots=True)
class ConsentLine:
    """The candidate's latest answer to the consent notice."""

    agreed: bool
    biometric: bool
    at: datetime
    notice_version: str
    notice_sha256: str


@dataclass(frozen=True, slots=True)
class EvaluationLine:
    overall: Mapping[str, float]  # per criterion, 0-10
    strengths: tuple[str, ...]
    concerns: tuple[str, ...]
    recommendation: Recommendation
    behavioural_note: str
    engine: str
    provisional: bool


@dataclass(frozen=True, slots=True)
class CriterionLine:
    criterion: str
    score: float
    rationale: str = ""


@dataclass(frozen=True, slots=True)
class PointLine:
    """One expected point: what the answer does with it, its words, who decided."""

    point: str
    verdict: Verdict
    evidence: str = ""
    decided_by: DecidedBy = DecidedBy.EMBEDDINGS


@dataclass(frozen=True, slots=True)
class ScoreLine:
    criteria: tuple[CriterionLine, ...]
    feedback: str
    evidence: tuple[str, ...]
    engine: str
    provisional: bool
    points: tuple[PointLine, ...] = ()
    path: str = ""

    @property
    def overall(self) -> float:
        if not self.criteria:
            return 0.0
        return round(sum(c.score for c in self.criteria) / len(self.criteria), 2)


#: `QuestionLine.kind` of a follow-up question (the planner's main questions are all the others).
FOLLOW_UP = "follow_up"


@dataclass(frozen=True, slots=True)
class QuestionLine:
    index: int
    kind: str
    text: str
    skill: str = ""
    rationale: str = ""
    answer: str | None = None  # None: not answered
    score: ScoreLine | None = None
    #: The answer's recording was cut short: not transcribed, not scored (not "no answer").
    recording_damaged: bool = False


@dataclass(frozen=True, slots=True)
class IdentityLine:
    name_on_document: str
    name_matches: bool
    face_matches: bool
    face_distance: float | None = None
    face_threshold: float | None = None
    document_number: str = ""
    date_of_birth: str = ""
    expiry_date: str = ""
    expired: bool = False
    override_reason: str = ""
    overridden_by: str = ""
    card_image: str | None = None  # sha256 of the JPEG
    live_image: str | None = None


@dataclass(frozen=True, slots=True)
class EventLine:
    kind: EventKind
    severity: Severity
    confidence: float
    start: float
    end: float
    detail: str = ""
    snapshot: str | None = None  # sha256 of the JPEG
    #: The policy values the flag was judged with, under the policy file's names ("hold_s": 5).
    thresholds: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ScorecardLine:
    """One criterion of HR's own scorecard: its name in words, 0-10, and HR's comment."""

    criterion: str
    score: int
    comment: str = ""


@dataclass(frozen=True, slots=True)
class DecisionLine:
    """One decision HR recorded, in words: "Advance to next round", who, when, why, and what
    it was to the reviewers ("confirms the decision of …"; empty for a first decision)."""

    outcome: str
    decided_by: str
    decided_at: datetime
    notes: str = ""
    role: str = ""
    scorecard: tuple[ScorecardLine, ...] = ()


@dataclass(frozen=True, slots=True)
class FlagReviewLine:
    """HR's review of one proctoring flag, in words."""

    flag: str  # "No face in view at 12–19 s"
    review: str  # "Confirmed" | "Dismissed"
    reviewed_by: str
    reviewed_at: datetime | None
    comment: str = ""


@dataclass(frozen=True, slots=True)
class DecisionsLine:
    """HR's reviews and decisions, which only the hub knows: the kiosk leaves it None."""

    state: str  # "Awaiting a second reviewer", "Rejected", "No decision yet", …
    decisions: tuple[DecisionLine, ...] = ()  # oldest first
    reviews: tuple[FlagReviewLine, ...] = ()


@dataclass(frozen=True, slots=True)
class ReportRecord:
    """Everything one report shows about one session."""

    session_id: str
    session_key: str
    candidate_name: str
    job_title: str
    #: When the interview began (when the session was created, for one that never began).
    held_at: datetime
    status: str  # the session's state, e.g. "completed"
    kiosk_id: str = ""
    consent: ConsentLine | None = None
    evaluation: EvaluationLine | None = None
    questions: tuple[QuestionLine, ...] = ()
    identity: IdentityLine | None = None
    #: Computed once when the interview ended; printed as stored, never recomputed.
    integrity: IntegritySummary | None = None
    events: tuple[EventLine, ...] = ()
    #: Seconds from the interview's start to its end (the timeline's span without a summary).
    duration_seconds: float = 0.0
    sample: bool = False  # demonstration data: said on the cover
    #: The resume's fit with the job and the plan's coverage, as stored when the interview began.
    fit: JobFit | None = None
    #: The data policy whose words the candidate was shown (None: not known to this side).
    data_policy: DataPolicy | None = None
    #: HR's flag reviews and hiring decisions (the hub's reports only; None: no such section).
    decisions: DecisionsLine | None = None

    @property
    def scores(self) -> tuple[ScoreLine, ...]:
        return tuple(q.score for q in self.questions if q.score is not None)

    @property
    def main_question_numbers(self) -> tuple[int, ...]:
        """The report's numbers of the main questions asked, in order (follow-ups skipped): the
        plan's n-th main question is the report's question `main_question_numbers[n - 1]`."""
        return tuple(q.index + 1 for q in self.questions if q.kind != FOLLOW_UP)


__all__ = [
    "ConsentLine",
    "CriterionLine",
    "DecisionLine",
    "DecisionsLine",
    "EvaluationLine",
    "EventLine",
    "FlagReviewLine",
    "IdentityLine",
    "PointLine",
    "QuestionLine",
    "ReportRecord",
    "ScoreLine",
    "ScorecardLine",
]
