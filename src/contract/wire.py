"""The sync API's bodies and the payload of every outbox topic, as kiosk and hub both read them.

It imports only pydantic, the standard library and the rest of `contract` (whose logo check
decodes pictures with Pillow), so the hub can depend on it without depending on the kiosk.
Payload models mirror the kiosk's domain dataclasses as `contract.codec.to_data` writes them; a
test checks both agree, so a field added on one side cannot drift silently. Unknown fields are
ignored, so an older hub still accepts a newer kiosk's payloads.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Final, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, TypeAdapter

from contract.branding import check_logo
from contract.privacy import MAX_HUB_DAYS, MAX_KIOSK_DAYS
from contract.proctoring import EventKind, IntegrityLevel, Severity
from contract.rubric import DecidedBy, Verdict
from contract.sessionkey import SESSION_KEY_PATTERN

API_PREFIX: Final = "/api/v1"
MAX_BATCH: Final = 200
SHA256_PATTERN: Final = r"^[0-9a-f]{64}$"
_SHA256 = re.compile(SHA256_PATTERN)
#: The one format of every id a kiosk sends (sessions, questions, answers, events): letters,
#: digits and `._~-`, starting with a letter or a digit, at most 64 characters. All of them are
#: URL-unreserved, so an id is never a slash, a dot-segment, a query, a fragment or an escape:
#: whatever page or path it lands in, it stays one path segment.
IDENTIFIER_PATTERN: Final = r"^[A-Za-z0-9][A-Za-z0-9._~-]{0,63}$"


def is_sha256(text: str) -> bool:
    """True for a lower-case hex sha256: the only blob name either side accepts."""
    return bool(_SHA256.match(text))


# -- shared pieces --------------------------------------------------------------------------------

Sha256 = Annotated[str, Field(pattern=SHA256_PATTERN)]
Identifier = Annotated[str, Field(pattern=IDENTIFIER_PATTERN)]
ShortText = Annotated[str, Field(max_length=500)]
LongText = Annotated[str, Field(max_length=200_000)]
SessionStateName = Literal[
    "created",
    "opened",
    "id_verified",
    "devices_checked",
    "in_progress",
    "completed",
    "reported",
    "synced",
    "aborted",
    "expired",
]


class WireModel(BaseModel):
    """Base of every wire body: immutable, and tolerant of fields a newer peer adds."""

    model_config = ConfigDict(
        frozen=True,
        extra="ignore",
        serialize_by_alias=True,
        validate_by_name=True,
        validate_by_alias=True,
    )


class GoneReason(StrEnum):
    """Why a session pack is refused with 410, for a kiosk to act on without parsing words."""

    STARTED = "pack_started"  # another kiosk started it: `?restart=true` may take it again
    EXPIRED = "pack_expired"  # its key expired: HR issues a new session
    OVER = "pack_over"  # completed or aborted: no kiosk may take it again


class ErrorBody(WireModel):
    """What the hub answers with every 4xx: one sentence a person can act on, and where a
    status covers several cases, a machine-readable `code` (e.g. a `GoneReason`)."""

    detail: str
    code: str = ""


# -- enrolment ------------------------------------------------------------------------------------


class EnrolRequest(WireModel):
    code: Annotated[str, Field(min_length=1, max_length=64)]
    kiosk_name: Annotated[str, Field(min_length=1, max_length=128)]


class EnrolResponse(WireModel):
    kiosk_id: str
    organisation: str
    token: str


class Whoami(WireModel):
    """The answer to an authenticated ping: which kiosk the hub thinks this is."""

    kiosk_id: str
    kiosk_name: str
    organisation: str
    server_time: datetime


# -- session packs (hub -> kiosk) -----------------------------------------------------------------


class SettingsWire(WireModel):
    question_count: Annotated[int, Field(ge=1, le=50)] = 6
    seconds_per_question: Annotated[int, Field(ge=10, le=3600)] = 180
    extra_time_percent: Annotated[int, Field(ge=0, le=300)] = 0
    language: Annotated[str, Field(max_length=16)] = "en"
    # The candidate's accessibility (defaults for an older peer that does not send them).
    font_scale: Annotated[float, Field(ge=1.0, le=2.0)] = 1.0
    high_contrast: bool = False
    captions: bool = True


class CandidateWire(WireModel):
    full_name: ShortText
    email: ShortText = ""
    resume_text: LongText = ""


class JobWire(WireModel):
    title: ShortText
    text: LongText = ""
    required_skills: list[ShortText] = Field(default_factory=list, max_length=100)
    nice_to_have_skills: list[ShortText] = Field(default_factory=list, max_length=100)


class DataPolicyWire(WireModel):
    """An organisation's data policy (`contract.privacy.DataPolicy`) as a pack carries it. A
    pack from a hub that sends none gets these defaults: answer audio stays on the kiosk."""

    organisation: ShortText = ""
    send_answer_audio: bool = False
    kiosk_days_after_sync: Annotated[int, Field(ge=0, le=MAX_KIOSK_DAYS)] = 7
    hub_retention_days: Annotated[int, Field(ge=1, le=MAX_HUB_DAYS)] | None = None


def _logo(data: bytes) -> bytes:
    check_logo(data)  # LogoError is a ValueError: pydantic reports it as a validation error
    return data


class OrganisationWire(WireModel):
    """Who the interview is held for, as the kiosk's header shows it to the candidate. The
    logo is base64 text in JSON and raw bytes in Python, checked as a PNG or JPEG."""

    model_config = ConfigDict(
        **WireModel.model_config, ser_json_bytes="base64", val_json_bytes="base64"
    )

    name: Annotated[str, Field(min_length=1, max_length=200)]
    logo: Annotated[bytes, AfterValidator(_logo)] | None = None


class SessionPack(WireModel):
    """Everything a kiosk needs to run one interview it did not create itself."""

    session_key: Annotated[str, Field(pattern=SESSION_KEY_PATTERN)]
    candidate: CandidateWire
    job: JobWire
    settings: SettingsWire
    created_at: datetime
    expires_at: datetime
    data_policy: DataPolicyWire = Field(default_factory=DataPolicyWire)
    #: Absent from an older hub's packs: the kiosk then shows its own name.
    organisation: OrganisationWire | None = None


class PackList(WireModel):
    packs: list[SessionPack]


# -- deletions on the hub that kiosks carry out ---------------------------------------------------


class ErasureOrder(WireModel):
    """A session deleted on the hub that this kiosk held: erase it here."""

    session_id: Identifier  # the kiosk's own session id
    session_key: Annotated[str, Field(pattern=SESSION_KEY_PATTERN)]
    requested_at: datetime


class ErasureOrders(WireModel):
    erasures: list[ErasureOrder] = Field(max_length=MAX_BATCH)


class ErasureDone(WireModel):
    """The kiosk's audit entry for an order: what it erased, and when."""

    session_id: Identifier
    erased_at: datetime
    files_removed: Annotated[int, Field(ge=0)]
    #: "" when the session was erased now; otherwise why there was nothing left to erase
    note: ShortText = ""


class ErasureRecorded(WireModel):
    session_id: Identifier
    recorded: bool  # False: the hub had no open order for it (a retry: already recorded)


# -- outbox payloads (kiosk -> hub), one per topic -------------------------------------------------


class MediaRefWire(WireModel):
    sha256: Sha256
    kind: Annotated[str, Field(max_length=20)]
    content_type: Annotated[str, Field(max_length=100)]
    size: Annotated[int, Field(ge=0)]


class SessionWire(WireModel):
    session_id: Identifier
    session_key: Annotated[str, Field(pattern=SESSION_KEY_PATTERN)]
    candidate: CandidateWire
    job: JobWire
    settings: SettingsWire
    state: SessionStateName
    created_at: datetime
    expires_at: datetime | None = None
    kiosk_id: ShortText = ""
    data_policy: DataPolicyWire = Field(default_factory=DataPolicyWire)


class _SessionPayload(WireModel):
    session_id: Identifier


class StateChangeWire(_SessionPayload):
    from_state: SessionStateName = Field(alias="from")
    to: SessionStateName
    reason: ShortText = ""


class MediaPayload(MediaRefWire):
    # media rows belong to no session until a record refers to them
    session_id: Identifier | Literal[""] = ""


class QuestionWire(_SessionPayload):
    question_id: Identifier
    index: Annotated[int, Field(ge=0)]
    kind: Annotated[str, Field(max_length=20)]
    text: LongText
    skill: ShortText = ""
    rationale: LongText = ""
    expected_points: list[LongText] = Field(default_factory=list)
    engine: ShortText = ""
    follow_up_of: Identifier | None = None
    spoken: bool = False


class SegmentWire(WireModel):
    start: float
    end: float
    text: LongText
    confidence: float | None = None


#: `AnswerWire.end_reason` of an answer whose recording was cut short: kept and shown, never
#: scored (the kiosk's conductor records it; the hub prints it as such).
RECORDING_DAMAGED = "recording_damaged"


class AnswerWire(_SessionPayload):
    answer_id: Identifier
    question_id: Identifier
    text: LongText
    segments: list[SegmentWire] = Field(default_factory=list)
    audio: MediaRefWire | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    end_reason: ShortText = ""
    metrics: dict[str, float] = Field(default_factory=dict)


class CriterionScoreWire(WireModel):
    criterion: Annotated[str, Field(max_length=40)]
    score: Annotated[float, Field(ge=0, le=10)]
    rationale: LongText = ""


class ScoredPointWire(WireModel):
    """One expected point of an offline score: its verdict, the answer's words that show it and
    who decided (`contract.rubric`)."""

    point: LongText
    verdict: Verdict
    evidence: LongText = ""
    decided_by: DecidedBy = DecidedBy.EMBEDDINGS
    note: ShortText = ""


class ScoreWire(_SessionPayload):
    answer_id: Identifier
    criteria: list[CriterionScoreWire]
    feedback: LongText = ""
    evidence: list[LongText] = Field(default_factory=list)
    engine: ShortText
    provisional: bool
    confidence: float = 0.5
    #: Offline scores only; a kiosk from before the on-device judge sends neither.
    points: list[ScoredPointWire] = Field(default_factory=list, max_length=100)
    path: Annotated[str, Field(max_length=20)] = ""


class EventWire(_SessionPayload):
    event_id: Identifier
    kind: EventKind
    severity: Severity
    confidence: float
    start: float
    end: float
    detector: ShortText
    thresholds: dict[str, float] = Field(default_factory=dict)
    snapshot: MediaRefWire | None = None
    detail: LongText = ""


class IdCheckWire(_SessionPayload):
    name_on_document: ShortText
    name_matches: bool
    document_number: ShortText = ""
    date_of_birth: ShortText = ""
    expiry_date: ShortText = ""
    expired: bool = False
    face_distance: float | None = None
    face_threshold: float | None = None
    face_matches: bool = False
    ocr_confidence: float | None = None
    override_reason: ShortText = ""
    overridden_by: ShortText = ""
    card_image: MediaRefWire | None = None
    live_image: MediaRefWire | None = None


class ConsentWire(_SessionPayload):
    """The candidate's answer to the consent notice, agreed or declined."""

    notice_version: Annotated[str, Field(pattern=r"^[0-9A-Za-z._-]{1,40}$")]
    notice_sha256: Sha256
    biometric: bool
    at: datetime
    agreed: bool
    #: sha256 of the data policy's words shown in the notice ("" from a kiosk before policies)
    policy_sha256: Sha256 | Literal[""] = ""


class KindTotalWire(WireModel):
    kind: EventKind
    severity: Severity
    count: Annotated[int, Field(ge=0)]
    total_seconds: Annotated[float, Field(ge=0)]
    labels: list[ShortText] = Field(default_factory=list, max_length=100)


class IntegrityWire(_SessionPayload):
    """The integrity summary computed when the interview ended, with its policy's digest."""

    level: IntegrityLevel
    reasons: list[LongText] = Field(default_factory=list, max_length=100)
    totals: list[KindTotalWire] = Field(default_factory=list, max_length=100)
    session_seconds: Annotated[float, Field(ge=0)]
    analysed_seconds: Annotated[float, Field(ge=0)]
    policy_digest: Sha256
    note: ShortText = ""


class SkillEvidenceWire(WireModel):
    skill: ShortText
    sentence: LongText
    organisation: ShortText = ""


class RequirementFitWire(WireModel):
    requirement: ShortText
    required: bool
    from_hr: bool
    met_by: list[ShortText] = Field(default_factory=list, max_length=20)
    evidence: list[SkillEvidenceWire] = Field(default_factory=list, max_length=10)
    planned_main_question: Annotated[int, Field(ge=1, le=100)] | None = None
    not_asked: ShortText = ""
    choice: bool = False


class FitWire(_SessionPayload):
    """The resume's fit with the job and the plan's coverage (`contract.fit.JobFit`)."""

    score: Annotated[float, Field(ge=0, le=100)]
    requirements: list[RequirementFitWire] = Field(default_factory=list, max_length=200)
    extra_skills: list[ShortText] = Field(default_factory=list, max_length=200)
    years_experience: Annotated[float, Field(ge=0, le=80)] | None = None


class ObservationChunkWire(_SessionPayload):
    """One chunk of a proctoring run's observation track (gzip JSON lines, `integrity.track`):
    the numbers the rules read, so the hub can re-judge the interview under another policy."""

    chunk_id: Identifier
    run_id: Identifier
    seq: Annotated[int, Field(ge=0)]
    start: Annotated[float, Field(ge=0)]
    end: Annotated[float, Field(ge=0)]
    records: Annotated[int, Field(ge=0)]
    track: MediaRefWire


class EvaluationWire(_SessionPayload):
    overall: dict[str, float]
    strengths: list[LongText] = Field(default_factory=list)
    concerns: list[LongText] = Field(default_factory=list)
    recommendation: Literal["strong_yes", "yes", "no", "strong_no"]
    behavioural_note: LongText = ""
    engine: ShortText
    provisional: bool


class ReportWire(_SessionPayload):
    pdf: MediaRefWire
    created_at: datetime


# -- the push envelope ----------------------------------------------------------------------------


class _Entry(WireModel):
    """One outbox row. (kiosk, outbox_id) is its idempotency key on the hub."""

    outbox_id: Annotated[int, Field(ge=1)]
    created_at: datetime


class SessionCreatedEntry(_Entry):
    topic: Literal["session.created"]
    payload: SessionWire


class StateEntry(_Entry):
    topic: Literal["session.state"]
    payload: StateChangeWire


class MediaEntry(_Entry):
    topic: Literal["media"]
    payload: MediaPayload


class QuestionEntry(_Entry):
    topic: Literal["question"]
    payload: QuestionWire


class AnswerEntry(_Entry):
    topic: Literal["answer"]
    payload: AnswerWire


class ScoreEntry(_Entry):
    topic: Literal["score"]
    payload: ScoreWire


class EventEntry(_Entry):
    topic: Literal["event"]
    payload: EventWire


class IdCheckEntry(_Entry):
    topic: Literal["id_check"]
    payload: IdCheckWire


class ConsentEntry(_Entry):
    topic: Literal["consent"]
    payload: ConsentWire


class IntegrityEntry(_Entry):
    topic: Literal["integrity"]
    payload: IntegrityWire


class FitEntry(_Entry):
    topic: Literal["fit"]
    payload: FitWire


class ObservationsEntry(_Entry):
    topic: Literal["observations"]
    payload: ObservationChunkWire


class EvaluationEntry(_Entry):
    topic: Literal["evaluation"]
    payload: EvaluationWire


class ReportEntry(_Entry):
    topic: Literal["report"]
    payload: ReportWire


OutboxEntry = Annotated[
    SessionCreatedEntry
    | StateEntry
    | MediaEntry
    | QuestionEntry
    | AnswerEntry
    | ScoreEntry
    | EventEntry
    | IdCheckEntry
    | ConsentEntry
    | IntegrityEntry
    | FitEntry
    | ObservationsEntry
    | EvaluationEntry
    | ReportEntry,
    Field(discriminator="topic"),
]
TOPICS: Final = frozenset(
    {
        "session.created",
        "session.state",
        "media",
        "question",
        "answer",
        "score",
        "event",
        "id_check",
        "consent",
        "integrity",
        "fit",
        "observations",
        "evaluation",
        "report",
    }
)
_ENTRY: TypeAdapter[OutboxEntry] = TypeAdapter(OutboxEntry)


def outbox_entry(
    outbox_id: int, topic: str, payload: dict[str, Any], created_at: datetime
) -> OutboxEntry:
    """Validate one kiosk outbox row as a wire entry (raises pydantic's ValidationError)."""
    return _ENTRY.validate_python(
        {"outbox_id": outbox_id, "topic": topic, "payload": payload, "created_at": created_at}
    )


class PushBatch(WireModel):
    """Outbox rows in outbox order; the hub applies them in that order, all or none."""

    entries: list[OutboxEntry] = Field(min_length=1, max_length=MAX_BATCH)


class PushResult(WireModel):
    """Which outbox ids the hub now holds: newly applied and already seen (a retry)."""

    applied: list[int]
    duplicates: list[int]

    @property
    def acknowledged(self) -> set[int]:
        return set(self.applied) | set(self.duplicates)


class BlobStored(WireModel):
    """The hub's answer to a blob upload: what it verified and whether it was new."""

    sha256: Sha256
    size: int
    created: bool


class MissingBlobs(WireModel):
    """409 body when a batch refers to blobs the hub does not hold yet: upload them, retry."""

    detail: str
    missing: list[str]


__all__ = [
    "API_PREFIX",
    "IDENTIFIER_PATTERN",
    "MAX_BATCH",
    "TOPICS",
    "BlobStored",
    "DataPolicyWire",
    "EnrolRequest",
    "EnrolResponse",
    "ErasureDone",
    "ErasureOrder",
    "ErasureOrders",
    "ErasureRecorded",
    "ErrorBody",
    "Identifier",
    "MissingBlobs",
    "OutboxEntry",
    "PackList",
    "PushBatch",
    "PushResult",
    "SessionPack",
    "Whoami",
    "is_sha256",
    "outbox_entry",
]
