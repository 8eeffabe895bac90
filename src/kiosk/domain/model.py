"""The interview's vocabulary as small frozen dataclasses, free of Qt, SQL and wire formats.

Storage, the report, the brain and the hub client all speak these types; each converts at its
own edge. Times are timezone-aware UTC datetimes; media are referenced by sha256 (`MediaRef`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from contract import wire
from contract.evaluation import Recommendation
from contract.privacy import DataPolicy
from contract.proctoring import EventKind, Severity
from contract.rubric import Criterion, DecidedBy, Verdict
from kiosk.domain.lifecycle import SessionState


@dataclass(frozen=True, slots=True)
class MediaRef:
    """A blob in the content-addressed media store."""

    sha256: str
    kind: str  # "snapshot" | "audio" | "report" | "id_image" | "resume"
    content_type: str
    size: int


@dataclass(frozen=True, slots=True)
class Candidate:
    full_name: str
    email: str = ""
    resume_text: str = ""


@dataclass(frozen=True, slots=True)
class JobDescription:
    title: str
    text: str
    required_skills: tuple[str, ...] = ()
    nice_to_have_skills: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SessionSettings:
    question_count: int = 6
    seconds_per_question: int = 180
    extra_time_percent: int = 0
    language: str = "en"
    #: The candidate's accessibility, set by HR in the session or by the invigilator before
    #: the consent notice (`kiosk.domain.accessibility`): text size, contrast, live captions.
    font_scale: float = 1.0
    high_contrast: bool = False
    captions: bool = True

    def answer_seconds(self) -> int:
        """Time allowed per answer including the candidate's agreed extra time."""
        return self.seconds_per_question * (100 + self.extra_time_percent) // 100


@dataclass(frozen=True, slots=True)
class Branding:
    """Who the interview is held for, as the session pack names them: the kiosk's header shows
    it, so a candidate sees the organisation they applied to. `logo` is a PNG or JPEG already
    checked by `contract.branding.check_logo`."""

    organisation: str = ""
    logo: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class InterviewSession:
    session_id: str
    session_key: str
    candidate: Candidate
    job: JobDescription
    settings: SessionSettings
    state: SessionState
    created_at: datetime
    expires_at: datetime | None = None
    kiosk_id: str = ""
    #: Where this session's personal data may go and how long it lives (from the pack; a
    #: walk-in session gets the default: answer audio stays on the kiosk).
    data_policy: DataPolicy = field(default_factory=DataPolicy)


class QuestionKind(StrEnum):
    INTRO = "intro"
    TECHNICAL = "technical"
    BEHAVIOURAL = "behavioural"
    SITUATIONAL = "situational"
    FOLLOW_UP = "follow_up"
    CLOSING = "closing"


@dataclass(frozen=True, slots=True)
class Question:
    question_id: str
    index: int
    kind: QuestionKind
    text: str
    skill: str = ""
    rationale: str = ""
    expected_points: tuple[str, ...] = ()
    engine: str = ""
    follow_up_of: str | None = None
    spoken: bool = False  # False when no audio device let the kiosk read it aloud


@dataclass(frozen=True, slots=True)
class TranscriptSegment:
    start: float
    end: float
    text: str
    confidence: float | None = None


#: The end reason of an answer whose recording was cut short: kept and shown, never scored.
RECORDING_DAMAGED = wire.RECORDING_DAMAGED


@dataclass(frozen=True, slots=True)
class Answer:
    answer_id: str
    question_id: str
    text: str
    segments: tuple[TranscriptSegment, ...] = ()
    audio: MediaRef | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    # "silence" | "done_button" | "time_limit" | "typed" | "device_lost" | RECORDING_DAMAGED
    end_reason: str = ""
    metrics: dict[str, float] = field(default_factory=dict)

    @property
    def recording_damaged(self) -> bool:
        return self.end_reason == RECORDING_DAMAGED


@dataclass(frozen=True, slots=True)
class CriterionScore:
    criterion: Criterion
    score: float  # 0-10
    rationale: str = ""


@dataclass(frozen=True, slots=True)
class ScoredPoint:
    """What an answer does with one expected point, the answer's words that show it (verbatim,
    "" when none), and who decided."""

    point: str
    verdict: Verdict
    evidence: str = ""
    decided_by: DecidedBy = DecidedBy.EMBEDDINGS
    note: str = ""  # why the judge did not decide it, when it did not


@dataclass(frozen=True, slots=True)
class AnswerScore:
    """One scoring of an answer. `provisional` while it is the fast first pass (embeddings),
    waiting for the on-device judge or an online re-score; Gemini's and the judge's are final.
    Offline scores carry their `points` and the `path` that decided them ("judge",
    "judge+embeddings", "embeddings", "none"); Gemini's have neither."""

    answer_id: str
    criteria: tuple[CriterionScore, ...]
    feedback: str
    evidence: tuple[str, ...]  # quotes from the transcript
    engine: str
    provisional: bool
    confidence: float = 0.5
    points: tuple[ScoredPoint, ...] = ()
    path: str = ""

    @property
    def overall(self) -> float:
        if not self.criteria:
            return 0.0
        return round(sum(c.score for c in self.criteria) / len(self.criteria), 2)


@dataclass(frozen=True, slots=True)
class ObservationChunk:
    """One stored chunk of a proctoring run's observation track (`integrity.track`): media
    seconds `start`..`end` of run `run_id`, chunk `seq` of it, `records` observations."""

    chunk_id: str
    run_id: str
    seq: int
    start: float
    end: float
    records: int
    track: MediaRef


@dataclass(frozen=True, slots=True)
class ProctoringEvent:
    """A proctoring event as stored: its id is the one the proctor gave it when it started."""

    event_id: str
    kind: EventKind
    severity: Severity
    confidence: float
    start: float  # seconds since the interview started
    end: float
    detector: str
    thresholds: dict[str, float] = field(default_factory=dict)
    snapshot: MediaRef | None = None
    detail: str = ""

    @property
    def duration(self) -> float:
        return max(0.0, self.end - self.start)


@dataclass(frozen=True, slots=True)
class IdCheck:
    name_on_document: str
    name_matches: bool
    document_number: str = ""
    date_of_birth: str = ""
    expiry_date: str = ""
    expired: bool = False
    face_distance: float | None = None
    face_threshold: float | None = None
    face_matches: bool = False
    ocr_confidence: float | None = None
    override_reason: str = ""
    overridden_by: str = ""
    card_image: MediaRef | None = None
    live_image: MediaRef | None = None

    @property
    def passed(self) -> bool:
        clean = self.name_matches and self.face_matches and not self.expired
        return clean or bool(self.override_reason)


@dataclass(frozen=True, slots=True)
class FinalEvaluation:
    overall: dict[str, float]  # per criterion, 0-10
    strengths: tuple[str, ...]
    concerns: tuple[str, ...]
    recommendation: Recommendation
    behavioural_note: str
    engine: str
    provisional: bool


@dataclass(frozen=True, slots=True)
class Report:
    session_id: str
    pdf: MediaRef
    created_at: datetime
