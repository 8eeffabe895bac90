"""What the services hand to the API and the portal: frozen snapshots, never live ORM rows."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar, overload

from contract.fit import JobFit
from contract.proctoring import IntegritySummary
from hub.media import MediaType

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Sequence[T]):
    """One page of a long list, counted on the server: `number` from 1, `total` items in all.
    It is the sequence of this page's items (`len`, indexing and iteration are the page's)."""

    items: list[T]
    number: int
    size: int
    total: int

    def __len__(self) -> int:
        return len(self.items)

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        return self.items[index]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def page_window(number: int, size: int, total: int) -> tuple[int, int]:
    """The page actually shown for a requested `number` (past the end: the last page) and its
    offset: the caller's query reads `size` rows from there."""
    last = max(1, -(-total // size))
    shown = min(max(number, 1), last)
    return shown, (shown - 1) * size


@dataclass(frozen=True, slots=True)
class KioskIdentity:
    """The kiosk a bearer token belongs to; every sync call acts as (and only as) this kiosk."""

    kiosk_id: str
    name: str
    org_id: str
    org_name: str
    #: the test centre the kiosk stands in; None: enrolled into no centre
    centre_id: str | None = None


@dataclass(frozen=True, slots=True)
class PortalUser:
    user_id: str
    email: str
    role: str
    org_id: str
    org_name: str
    disabled: bool = False
    two_factor: bool = False
    #: the password is a temporary one an admin set: a new one comes before any other page
    must_change_password: bool = False

    def can(self, *roles: str) -> bool:
        return self.role in roles

    @property
    def needs_two_factor(self) -> bool:
        """Admins must sign in with a second factor; they set one up before anything else."""
        return self.role == "admin" and not self.two_factor


def portal_user(user: Any, org: Any) -> PortalUser:
    """The view of a `hub.db.models.User` row of organisation `org`."""
    return PortalUser(
        user.id,
        user.email,
        user.role,
        org.id,
        org.name,
        disabled=user.disabled_at is not None,
        two_factor=user.totp_secret is not None,
        must_change_password=user.password_temporary_until is not None,
    )


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A live portal session: whose it is, how far sign-in got, and since when."""

    user: PortalUser
    stage: str
    since: datetime


@dataclass(frozen=True, slots=True)
class IssuedCode:
    code: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class KioskView:
    kiosk_id: str
    name: str
    created_at: datetime
    revoked_at: datetime | None
    last_seen_at: datetime | None
    centre_name: str = ""


@dataclass(frozen=True, slots=True)
class CentreView:
    centre_id: str
    name: str
    timezone: str
    address: str = ""  # several lines; "" when not given
    instructions: str = ""  # what to do on arrival; "" when not given


@dataclass(frozen=True, slots=True)
class SessionSummary:
    session_id: str
    session_key: str
    candidate_name: str
    job_title: str
    state: str
    origin: str
    created_at: datetime
    expires_at: datetime
    has_report: bool
    purged: bool
    # another attempt with the same key (a second kiosk started the pack): the first session
    attempt_of: str | None = None


@dataclass(frozen=True, slots=True)
class PointView:
    """One expected point of an answer, in words for people (`contract.rubric`)."""

    verdict: str  # "Covered", "Contradicted", "Not covered"
    point: str
    evidence: str  # the answer's own words, "" when none
    decided_by: str  # "decided by the on-device judge", ...


@dataclass(frozen=True, slots=True)
class ScoreView:
    overall: float
    criteria: tuple[tuple[str, float, str], ...]
    feedback: str
    engine: str
    provisional: bool
    points: tuple[PointView, ...] = ()
    how: str = ""  # how the points were decided, in words; "" for a Gemini score


@dataclass(frozen=True, slots=True)
class TranscriptItem:
    index: int
    kind: str
    question: str
    answer: str | None
    audio_sha256: str | None
    score: ScoreView | None
    #: When the answer was given, in seconds from the interview's start (the clock proctoring
    #: flags are timed on); None when the kiosk did not say.
    at: tuple[float, float] | None = None


@dataclass(frozen=True, slots=True)
class EventView:
    event_id: str
    kind: str
    severity: str
    confidence: float
    start: float
    end: float
    detector: str
    detail: str
    snapshot_sha256: str | None
    review: str
    review_comment: str
    reviewed_by: str
    #: The policy values the kiosk judged this event with (empty for reported events).
    thresholds: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True, slots=True)
class ConsentView:
    agreed: bool
    notice_version: str
    biometric: bool
    at: datetime


@dataclass(frozen=True, slots=True)
class SessionDetail:
    summary: SessionSummary
    candidate_email: str
    resume_text: str
    job_text: str
    settings: dict[str, Any]
    transcript: tuple[TranscriptItem, ...]
    events: tuple[EventView, ...]
    id_check: dict[str, Any] | None
    evaluation: dict[str, Any] | None
    report_sha256: str | None
    history: tuple[tuple[str, str, datetime, str], ...]
    attempts: tuple[str, ...] = ()  # later attempts with the same key, oldest first
    #: The kiosk's integrity summary, as computed when the interview ended (None before then).
    integrity: IntegritySummary | None = None
    consents: tuple[ConsentView, ...] = ()
    #: The resume's fit with the job and the plan's coverage (None: not sent, or an older kiosk).
    fit: JobFit | None = None
    #: What HR typed about the job, shown back so HR can check what the kiosk worked from.
    required_skills: tuple[str, ...] = ()
    nice_to_have_skills: tuple[str, ...] = ()

    def answer_at(self, seconds: float) -> TranscriptItem | None:
        """The answer being given `seconds` into the interview (a flag's start), if any."""
        return next(
            (t for t in self.transcript if t.at is not None and t.at[0] <= seconds <= t.at[1]),
            None,
        )

    def flags_during(self, item: TranscriptItem) -> tuple[EventView, ...]:
        """The flags that began while `item` was being answered."""
        if item.at is None:
            return ()
        return tuple(e for e in self.events if item.at[0] <= e.start <= item.at[1])

    @property
    def main_question_numbers(self) -> tuple[int, ...]:
        """The page's numbers of the main questions asked, in order (follow-ups skipped)."""
        return tuple(t.index + 1 for t in self.transcript if t.kind != "follow_up")

    @property
    def provisional(self) -> bool:
        """True while any score is provisional: the portal marks the whole result so."""
        return bool(self.provisional_answers) or self.provisional_evaluation

    @property
    def provisional_answers(self) -> int:
        """How many answers have a provisional score: what a re-score would work on."""
        return sum(1 for i in self.transcript if i.score is not None and i.score.provisional)

    @property
    def provisional_evaluation(self) -> bool:
        """The kiosk's overall evaluation was made offline (re-scoring answers does not redo it)."""
        return bool(self.evaluation and self.evaluation.get("provisional"))


@dataclass(frozen=True, slots=True)
class AuditView:
    at: datetime
    actor: str
    action: str
    target: str
    detail: str


@dataclass(frozen=True, slots=True)
class PurgeResult:
    sessions_purged: int
    blobs_deleted: int


@dataclass(frozen=True, slots=True)
class StoredMedia:
    """A blob the portal may send: its size, what it really is, and how to read a byte range of
    it (`read(start, stop)`, chunks, from whichever store holds it)."""

    sha256: str
    size: int
    type: MediaType
    read: Callable[[int, int], Iterator[bytes]]
