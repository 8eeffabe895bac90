"""What HR does with jobs (requisitions): create, edit and close them, book sessions for them,
rank and compare their candidates, keep a shortlist.

Every read and write is scoped to the caller's organisation: another organisation's job (or a
session of it) is reported as not found, exactly like one that does not exist. Changes are
audited with the job's title or the candidate's session key as the target.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from contract.proctoring import IntegrityLevel
from contract.rubric import Criterion
from hub import glossary
from hub.clock import Clock, utc_now
from hub.db.database import HubDatabase
from hub.db.models import InterviewSession, Job, LatestScore, ShortlistEntry
from hub.errors import ConflictError, InvalidInputError, NotFoundError
from hub.services.decision_state import UNDECIDED_SUMMARY, decision_summary
from hub.uow import UnitOfWork
from hub.views import Page, PortalUser, page_window

JOBS_PER_PAGE = 25
#: What a job's candidates can be ordered by (the page's sort links); overall score first.
SORTS = ("score", "name", "integrity", "review", "date")
#: Integrity levels from the least to the most worrying, for sorting by integrity.
_INTEGRITY_ORDER = {
    IntegrityLevel.HIGH.value: 0,
    IntegrityLevel.MEDIUM.value: 1,
    IntegrityLevel.LOW.value: 2,
    IntegrityLevel.NOT_PROCTORED.value: 3,
}
#: The rubric's criteria, in the rubric's order: the ranking's and the CSV's columns.
CRITERIA = tuple(c.value for c in Criterion)
COMPARE_MIN, COMPARE_MAX = 2, 3
SCALE = glossary.SCORE_SCALE


@dataclass(frozen=True, slots=True)
class JobForm:
    """A job as HR typed it (checked): what each session booked for it is given."""

    title: str
    description: str
    required_skills: tuple[str, ...]
    question_count: int
    seconds_per_question: int


@dataclass(frozen=True, slots=True)
class JobView:
    job_id: str
    title: str
    description: str
    required_skills: tuple[str, ...]
    question_count: int
    seconds_per_question: int
    created_at: datetime
    closed: bool
    candidates: int = 0

    def session_values(self) -> dict[str, str]:
        """The new-session form's job fields, filled from the job."""
        return {
            "job_title": self.title,
            "job_text": self.description,
            "required_skills": ", ".join(self.required_skills),
            "question_count": str(self.question_count),
            "seconds_per_question": str(self.seconds_per_question),
        }


@dataclass(frozen=True, slots=True)
class CriterionScore:
    name: str
    #: the mean over the scored answers, out of `SCALE`
    score: float
    #: why, in the scorer's words, answer by answer
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Candidate:
    """One session of a job as the ranking shows it."""

    session_id: str
    session_key: str
    name: str
    state: str
    created_at: datetime
    #: the mean of the criteria, out of `SCALE`; None before the interview is scored
    overall: float | None
    criteria: tuple[CriterionScore, ...]
    recommendation: str
    integrity_level: str
    flags: int
    flags_open: int
    shortlisted: bool
    has_report: bool
    provisional: bool
    #: HR's decision in words ("No decision yet", "Advance to next round", ...)
    decision: str = UNDECIDED_SUMMARY.words

    @property
    def state_words(self) -> str:
        return glossary.state(self.state)

    @property
    def overall_words(self) -> str:
        return "not scored yet" if self.overall is None else f"{self.overall:.1f} / {SCALE}"

    @property
    def integrity_words(self) -> str:
        return glossary.integrity_level(self.integrity_level) or "Not known yet"

    @property
    def review_words(self) -> str:
        if not self.flags:
            return "No flags"
        if self.flags_open:
            return f"{self.flags_open} of {self.flags} flags to review"
        return f"All {self.flags} flags reviewed"

    def criterion(self, name: str) -> CriterionScore | None:
        return next((c for c in self.criteria if c.name == name), None)


def _job_view(job: Job, candidates: int = 0) -> JobView:
    settings = job.settings or {}
    return JobView(
        job_id=job.id,
        title=job.title,
        description=job.description,
        required_skills=tuple(job.required_skills or ()),
        question_count=int(settings.get("question_count", 6)),
        seconds_per_question=int(settings.get("seconds_per_question", 180)),
        created_at=job.created_at,
        closed=job.closed_at is not None,
        candidates=candidates,
    )


def _reasons(scores: Sequence[LatestScore]) -> dict[str, list[str]]:
    reasons: dict[str, list[str]] = {}
    for score in scores:
        for c in score.criteria:
            text = str(c.get("rationale", "")).strip()
            if text:
                reasons.setdefault(str(c["criterion"]), []).append(text)
    return reasons


def _recommendation(evaluation: dict[str, Any] | None) -> str:
    if not evaluation or "recommendation" not in evaluation:
        return "No recommendation yet"
    return glossary.recommendation(evaluation["recommendation"])


def _candidate(
    uow: UnitOfWork, row: InterviewSession, shortlisted: bool, decision: str
) -> Candidate:
    evaluation = dict(row.evaluation) if row.evaluation else None
    means = {str(k): float(v) for k, v in (evaluation or {}).get("overall", {}).items()}
    reasons = _reasons(uow.sessions.scores(row.id))
    criteria = tuple(
        CriterionScore(glossary.criterion(name), round(score, 2), tuple(reasons.get(name, ())))
        for name, score in means.items()
    )
    events = uow.sessions.events(row.id)
    overall = round(sum(means.values()) / len(means), 2) if means else None
    return Candidate(
        session_id=row.id,
        session_key=row.session_key,
        name=row.candidate_name,
        state=row.state,
        created_at=row.created_at,
        overall=overall,
        criteria=criteria,
        recommendation=_recommendation(evaluation),
        integrity_level=str((row.integrity or {}).get("level", "")),
        flags=len(events),
        flags_open=sum(1 for e in events if e.review == "open"),
        shortlisted=shortlisted,
        has_report=uow.sessions.latest_report(row.id) is not None,
        provisional=bool((evaluation or {}).get("provisional", False)),
        decision=decision,
    )


def _sort_key(sort: str) -> Any:
    """Each order puts the candidates HR most likely wants first; ties by name."""
    keys = {
        "score": lambda c: (c.overall is None, -(c.overall or 0.0), c.name.lower()),
        "name": lambda c: (c.name.lower(), c.session_id),
        "integrity": lambda c: (_INTEGRITY_ORDER.get(c.integrity_level, 4), c.name.lower()),
        "review": lambda c: (-c.flags_open, c.name.lower()),
        "date": lambda c: (c.created_at, c.session_id),
    }
    return keys[sort]


class Jobs:
    def __init__(self, database: HubDatabase, clock: Clock = utc_now) -> None:
        self._database = database
        self._now = clock

    @staticmethod
    def _own(uow: UnitOfWork, user: PortalUser, job_id: str) -> Job:
        job = uow.jobs.get(user.org_id, job_id)
        if job is None:
            raise NotFoundError("no such job in your organisation")
        return job

    # -- the jobs themselves ----------------------------------------------------------------------
    def create(self, user: PortalUser, form: JobForm) -> JobView:
        now = self._now()
        job = Job(id=str(uuid.uuid4()), org_id=user.org_id, created_at=now, updated_at=now)
        self._fill(job, form)
        with UnitOfWork(self._database) as uow:
            uow.jobs.add(job)
            uow.audit.record(user.org_id, user.email, "job.created", job.title, "", now)
            uow.commit()
            return _job_view(job)

    def update(self, user: PortalUser, job_id: str, form: JobForm) -> JobView:
        """Edit a job; sessions already booked keep what they were booked with."""
        now = self._now()
        with UnitOfWork(self._database) as uow:
            job = self._own(uow, user, job_id)
            self._fill(job, form)
            job.updated_at = now
            uow.audit.record(user.org_id, user.email, "job.edited", job.title, "", now)
            uow.commit()
            return _job_view(job)

    @staticmethod
    def _fill(job: Job, form: JobForm) -> None:
        job.title = form.title
        job.description = form.description
        job.required_skills = list(form.required_skills)
        job.settings = {
            "question_count": form.question_count,
            "seconds_per_question": form.seconds_per_question,
        }

    def set_closed(self, user: PortalUser, job_id: str, closed: bool) -> None:
        """Close a job (no new sessions for it) or open it again."""
        now = self._now()
        with UnitOfWork(self._database) as uow:
            job = self._own(uow, user, job_id)
            if (job.closed_at is not None) == closed:
                raise ConflictError(f"the job is already {'closed' if closed else 'open'}")
            job.closed_at = now if closed else None
            job.updated_at = now
            action = "job.closed" if closed else "job.reopened"
            uow.audit.record(user.org_id, user.email, action, job.title, "", now)
            uow.commit()

    def get(self, user: PortalUser, job_id: str) -> JobView:
        with UnitOfWork(self._database) as uow:
            job = self._own(uow, user, job_id)
            return _job_view(job, uow.jobs.session_counts([job.id]).get(job.id, 0))

    def list(
        self, user: PortalUser, search: str = "", open_only: bool = False, page: int = 1
    ) -> Page[JobView]:
        """A page of the organisation's jobs (open first, newest first), counted on the server."""
        search = search.strip()
        with UnitOfWork(self._database) as uow:
            total = uow.jobs.count(user.org_id, search, open_only)
            shown, offset = page_window(page, JOBS_PER_PAGE, total)
            rows = uow.jobs.page(user.org_id, search, open_only, JOBS_PER_PAGE, offset)
            counts = uow.jobs.session_counts([r.id for r in rows])
            items = [_job_view(r, counts.get(r.id, 0)) for r in rows]
            return Page(items, shown, JOBS_PER_PAGE, total)

    def open_jobs(self, user: PortalUser) -> list[JobView]:
        """The jobs a new session may be booked for (the new-session form's picker)."""
        with UnitOfWork(self._database) as uow:
            return [_job_view(j) for j in uow.jobs.open_jobs(user.org_id)]

    def for_new_session(self, user: PortalUser, job_id: str) -> JobView:
        """The job a session is being booked for: the organisation's, and open."""
        with UnitOfWork(self._database) as uow:
            job = uow.jobs.get(user.org_id, job_id)
            if job is None:
                raise InvalidInputError("choose a job from the list")
            if job.closed_at is not None:
                raise InvalidInputError(f"the job “{job.title}” is closed: choose an open one")
            return _job_view(job)

    # -- its candidates ---------------------------------------------------------------------------
    def candidates(
        self, user: PortalUser, job_id: str, sort: str = "score", shortlisted_only: bool = False
    ) -> list[Candidate]:
        """The job's candidates ranked by `sort` (one of `SORTS`; anything else: by score)."""
        with UnitOfWork(self._database) as uow:
            job = self._own(uow, user, job_id)
            shortlist = uow.jobs.shortlisted(job.id)
            rows = uow.jobs.sessions(user.org_id, job.id)
            decisions = decision_summary(uow, user.org_id, [r.id for r in rows])
            found = [
                _candidate(uow, r, r.id in shortlist, decisions[r.id].words) for r in rows
            ]
        if shortlisted_only:
            found = [c for c in found if c.shortlisted]
        return sorted(found, key=_sort_key(sort if sort in SORTS else "score"))

    def compare(self, user: PortalUser, job_id: str, session_ids: Sequence[str]) -> list[Candidate]:
        """Two or three of the job's candidates, in the order they were ticked."""
        chosen = list(dict.fromkeys(session_ids))
        if not COMPARE_MIN <= len(chosen) <= COMPARE_MAX:
            raise InvalidInputError(
                f"tick {COMPARE_MIN} or {COMPARE_MAX} candidates to compare them side by side"
            )
        ranked = {c.session_id: c for c in self.candidates(user, job_id)}
        missing = [s for s in chosen if s not in ranked]
        if missing:
            raise NotFoundError("a candidate you ticked is not one of this job's")
        return [ranked[s] for s in chosen]

    def set_shortlisted(
        self, user: PortalUser, job_id: str, session_id: str, shortlisted: bool
    ) -> None:
        now = self._now()
        with UnitOfWork(self._database) as uow:
            job = self._own(uow, user, job_id)
            row = uow.sessions.get(session_id)
            if row is None or row.org_id != user.org_id or row.job_id != job.id:
                raise NotFoundError("no such candidate for this job")
            entry = uow.jobs.shortlist_entry(job.id, session_id)
            if shortlisted and entry is None:
                uow.jobs.add_to_shortlist(
                    ShortlistEntry(
                        job_id=job.id, session_id=session_id, added_by=user.email, added_at=now
                    )
                )
                action = "job.shortlisted"
            elif not shortlisted and entry is not None:
                uow.jobs.remove_from_shortlist(entry)
                action = "job.unshortlisted"
            else:
                return  # already as asked: nothing changes, nothing to audit
            uow.audit.record(user.org_id, user.email, action, row.session_key, job.title, now)
            uow.commit()

    def record_export(self, user: PortalUser, job_id: str, what: str) -> None:
        """Audit that someone took the job's candidates out of the hub (CSV or PDFs)."""
        now = self._now()
        with UnitOfWork(self._database) as uow:
            job = self._own(uow, user, job_id)
            uow.audit.record(user.org_id, user.email, "job.exported", job.title, what, now)
            uow.commit()
