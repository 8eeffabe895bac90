"""Jobs, the sessions booked for them and their shortlists, always within one organisation."""

from __future__ import annotations

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from hub.db.models import InterviewSession, Job, ShortlistEntry


class JobRepository:
    def __init__(self, db: Session) -> None:
        self._db = db

    def add(self, job: Job) -> None:
        self._db.add(job)

    def get(self, org_id: str, job_id: str) -> Job | None:
        """The job if it is this organisation's; another's is as absent as a made-up id."""
        job = self._db.get(Job, job_id)
        return job if job is not None and job.org_id == org_id else None

    def _matching(self, org_id: str, search: str, open_only: bool) -> Select[tuple[Job]]:
        query = select(Job).where(Job.org_id == org_id)
        if search:
            pattern = f"%{search.lower()}%"
            query = query.where(
                or_(func.lower(Job.title).like(pattern), func.lower(Job.description).like(pattern))
            )
        if open_only:
            query = query.where(Job.closed_at.is_(None))
        return query

    def count(self, org_id: str, search: str = "", open_only: bool = False) -> int:
        inner = self._matching(org_id, search, open_only).subquery()
        return int(self._db.scalar(select(func.count()).select_from(inner)) or 0)

    def page(
        self, org_id: str, search: str, open_only: bool, limit: int, offset: int
    ) -> list[Job]:
        """Open jobs first, then newest first."""
        query = (
            self._matching(org_id, search, open_only)
            .order_by(Job.closed_at.is_not(None), Job.created_at.desc(), Job.id)
            .offset(offset)
            .limit(limit)
        )
        return list(self._db.scalars(query))

    def open_jobs(self, org_id: str) -> list[Job]:
        query = (
            select(Job)
            .where(Job.org_id == org_id, Job.closed_at.is_(None))
            .order_by(func.lower(Job.title), Job.id)
        )
        return list(self._db.scalars(query))

    def sessions(self, org_id: str, job_id: str) -> list[InterviewSession]:
        """Every session booked for the job that still holds a candidate (not deleted)."""
        query = (
            select(InterviewSession)
            .where(
                InterviewSession.org_id == org_id,
                InterviewSession.job_id == job_id,
                InterviewSession.purged_at.is_(None),
            )
            .order_by(InterviewSession.created_at, InterviewSession.id)
        )
        return list(self._db.scalars(query))

    def session_counts(self, job_ids: list[str]) -> dict[str, int]:
        query = (
            select(InterviewSession.job_id, func.count())
            .where(InterviewSession.job_id.in_(job_ids), InterviewSession.purged_at.is_(None))
            .group_by(InterviewSession.job_id)
        )
        return {str(job_id): int(n) for job_id, n in self._db.execute(query)}

    def shortlisted(self, job_id: str) -> set[str]:
        query = select(ShortlistEntry.session_id).where(ShortlistEntry.job_id == job_id)
        return set(self._db.scalars(query))

    def shortlist_entry(self, job_id: str, session_id: str) -> ShortlistEntry | None:
        return self._db.get(ShortlistEntry, (job_id, session_id))

    def add_to_shortlist(self, entry: ShortlistEntry) -> None:
        self._db.add(entry)

    def remove_from_shortlist(self, entry: ShortlistEntry) -> None:
        self._db.delete(entry)
