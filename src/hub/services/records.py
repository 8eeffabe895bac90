"""What HR does with sessions: create them, read results, review flags, erase personal data.

Every read and write is scoped to the caller's organisation: a session of another organisation
is reported as not found, exactly like one that does not exist.
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from contract.codec import from_data
from contract.fit import JobFit
from contract.proctoring import IntegritySummary
from contract.rubric import DECIDED_BY_WORDS, VERDICT_WORDS, DecidedBy, Verdict, path_words
from contract.sessionkey import new_session_key
from contract.wire import CandidateWire, JobWire, SettingsWire
from hub.blobs import BlobMissingError, BlobStore
from hub.clock import Clock, utc_now
from hub.db.database import HubDatabase
from hub.db.models import Answer, InterviewSession, LatestScore
from hub.errors import InvalidInputError, NotFoundError
from hub.media import HEAD_BYTES, sniff
from hub.services.centres import UTC_ZONE, end_of_day, local_day, own_centre
from hub.services.erasures import order_for_kiosks
from hub.services.mail import MailQueue
from hub.uow import UnitOfWork
from hub.views import (
    AuditView,
    ConsentView,
    EventView,
    Page,
    PointView,
    PortalUser,
    PurgeResult,
    ScoreView,
    SessionDetail,
    SessionSummary,
    StoredMedia,
    TranscriptItem,
    page_window,
)

PURGED_NAME = "(personal data purged)"
SESSIONS_PER_PAGE = 50
AUDIT_PER_PAGE = 100
#: A blob no session refers to may belong to a push still under way (uploads come first);
#: after this long it belongs to nothing and retention removes it.
UNREFERENCED_GRACE = timedelta(days=1)
DELETED_NAME = "(deleted on request)"


@dataclass(frozen=True, slots=True)
class NewSession:
    """The HR form, validated by the wire models a kiosk will receive it as."""

    candidate: CandidateWire
    job: JobWire
    settings: SettingsWire
    #: the test centre the candidate is booked at (None: any) and the day (None: any day while
    #: the key is valid), in that centre's calendar
    centre_id: str | None = None
    interview_on: date | None = None
    #: the job (requisition) it is booked for; None: the job's details were typed free-hand
    job_id: str | None = None
    #: HR ticked "E-mail the key to the candidate": the invitation is queued with the session
    invite: bool = False


def _summary(row: InterviewSession, has_report: bool) -> SessionSummary:
    return SessionSummary(
        session_id=row.id,
        session_key=row.session_key,
        candidate_name=row.candidate_name,
        job_title=row.job_title,
        state=row.state,
        origin=row.origin,
        created_at=row.created_at,
        expires_at=row.expires_at,
        has_report=has_report,
        purged=row.purged_at is not None,
        attempt_of=row.attempt_of,
    )


def _answer_window(answer: Answer | None, began: datetime | None) -> tuple[float, float] | None:
    """When `answer` was given, in seconds from the interview's start (`began`): the clock the
    kiosk times proctoring flags on, so a flag can name the answer it happened during."""
    if answer is None or began is None or answer.started_at is None:
        return None
    start = (answer.started_at - began).total_seconds()
    end = (answer.ended_at - began).total_seconds() if answer.ended_at else start
    return start, max(start, end)


def _score(row: LatestScore) -> ScoreView:
    criteria = tuple(
        (str(c["criterion"]), float(c["score"]), str(c.get("rationale", ""))) for c in row.criteria
    )
    overall = round(sum(c[1] for c in criteria) / len(criteria), 2) if criteria else 0.0
    points = tuple(
        PointView(
            VERDICT_WORDS[Verdict(p["verdict"])],
            str(p["point"]),
            str(p.get("evidence", "")),
            DECIDED_BY_WORDS[DecidedBy(p.get("decided_by", DecidedBy.EMBEDDINGS))],
        )
        for p in row.points
    )
    return ScoreView(
        overall, criteria, row.feedback, row.engine, row.provisional, points, path_words(row.path)
    )


class Records:
    def __init__(
        self,
        database: HubDatabase,
        blobs: BlobStore,
        ttl_hours: int,
        clock: Clock = utc_now,
        mail: MailQueue | None = None,
    ) -> None:
        self._database = database
        self._blobs = blobs
        self._ttl = timedelta(hours=ttl_hours)
        self._now = clock
        self._mail = mail

    def _own(self, uow: UnitOfWork, user: PortalUser, session_id: str) -> InterviewSession:
        """The session, if the user may see it: of their organisation and, for an invigilator
        who works at some centres, of one of those or of any centre."""
        row = uow.sessions.get(session_id)
        if row is None or row.org_id != user.org_id:
            raise NotFoundError("no such session in your organisation")
        centres = _centres_seen(uow, user)
        if centres is not None and row.centre_id is not None and row.centre_id not in centres:
            raise NotFoundError("no such session at your test centres")
        return row

    # -- creating and listing ---------------------------------------------------------------------
    def create(self, user: PortalUser, new: NewSession) -> SessionSummary:
        """Book a session; a key for a later day stays valid until that day has ended at the
        centre (and never for less than the usual time to live)."""
        now = self._now()
        expires = now + self._ttl
        with UnitOfWork(self._database) as uow:
            zone = (
                own_centre(uow, user.org_id, new.centre_id).timezone if new.centre_id else UTC_ZONE
            )
        if new.interview_on is not None:
            if new.interview_on < local_day(zone, now):
                raise InvalidInputError(
                    f"{new.interview_on:%d %B %Y} has passed at that centre: choose today or later"
                )
            expires = max(expires, end_of_day(new.interview_on, zone))
        row = InterviewSession(
            id=str(uuid.uuid4()),
            org_id=user.org_id,
            session_key=new_session_key(),
            origin="hub",
            state="created",
            candidate_name=new.candidate.full_name,
            candidate_email=new.candidate.email,
            resume_text=new.candidate.resume_text,
            job_title=new.job.title,
            job_text=new.job.text,
            required_skills=list(new.job.required_skills),
            nice_to_have_skills=list(new.job.nice_to_have_skills),
            settings=new.settings.model_dump(mode="json"),
            created_at=now,
            expires_at=expires,
            updated_at=now,
            centre_id=new.centre_id,
            interview_on=new.interview_on,
            job_id=new.job_id,
        )
        with UnitOfWork(self._database) as uow:
            uow.sessions.add(row)
            uow.audit.record(user.org_id, user.email, "session.created", row.session_key, "", now)
            if new.invite and self._mail is not None:
                self._mail.invite(uow, row, user.email)  # queued with the session, or neither
            uow.commit()
        return _summary(row, has_report=False)

    def list(
        self, user: PortalUser, states: tuple[str, ...] = (), page: int = 1
    ) -> Page[SessionSummary]:
        """A page of the organisation's sessions (newest first), counted on the server."""
        with UnitOfWork(self._database) as uow:
            centres = _centres_seen(uow, user)
            total = uow.sessions.count_in_org(user.org_id, states, centres)
            shown, offset = page_window(page, SESSIONS_PER_PAGE, total)
            rows = uow.sessions.in_org(user.org_id, states, SESSIONS_PER_PAGE, offset, centres)
            items = [_summary(r, uow.sessions.latest_report(r.id) is not None) for r in rows]
            return Page(items, shown, SESSIONS_PER_PAGE, total)

    def summary(self, user: PortalUser, session_id: str) -> SessionSummary:
        with UnitOfWork(self._database) as uow:
            row = self._own(uow, user, session_id)
            return _summary(row, uow.sessions.latest_report(row.id) is not None)

    def detail(self, user: PortalUser, session_id: str) -> SessionDetail:
        with UnitOfWork(self._database) as uow:
            row = self._own(uow, user, session_id)
            repo = uow.sessions
            answers = {a.question_id: a for a in repo.answers(row.id)}
            scores = {s.answer_id: _score(s) for s in repo.scores(row.id)}
            history = repo.state_changes(row.id)
            began = next((c.at for c in history if c.to_state == "in_progress"), None)
            transcript = []
            for q in repo.questions(row.id):
                answer = answers.get(q.id)
                transcript.append(
                    TranscriptItem(
                        index=q.idx,
                        kind=q.kind,
                        question=q.text,
                        answer=answer.text if answer else None,
                        audio_sha256=answer.audio_sha256 if answer else None,
                        score=scores.get(answer.id) if answer else None,
                        at=_answer_window(answer, began),
                    )
                )
            events = tuple(
                EventView(
                    e.id,
                    e.kind,
                    e.severity,
                    e.confidence,
                    e.start,
                    e.end,
                    e.detector,
                    e.detail,
                    e.snapshot_sha256 if repo.links_blob(row.id, e.snapshot_sha256 or "") else None,
                    e.review,
                    e.review_comment,
                    e.reviewed_by,
                    thresholds=tuple(sorted((e.thresholds or {}).items())),
                )
                for e in repo.events(row.id)
            )
            check = repo.id_check(row.id)
            report = repo.latest_report(row.id)
            return SessionDetail(
                summary=_summary(row, report is not None),
                candidate_email=row.candidate_email,
                resume_text=row.resume_text,
                job_text=row.job_text,
                settings=dict(row.settings),
                transcript=tuple(transcript),
                events=events,
                id_check=dict(check.result) if check else None,
                evaluation=dict(row.evaluation) if row.evaluation else None,
                report_sha256=report.pdf_sha256 if report else None,
                history=tuple((c.from_state, c.to_state, c.at, c.reason) for c in history),
                attempts=tuple(a.id for a in repo.attempts_of(row.id)),
                integrity=_integrity(row.integrity),
                fit=None if row.job_fit is None else from_data(JobFit, row.job_fit),
                consents=tuple(
                    ConsentView(c.agreed, c.notice_version, c.biometric, c.at)
                    for c in repo.consents(row.id)
                ),
                required_skills=tuple(row.required_skills or ()),
                nice_to_have_skills=tuple(row.nice_to_have_skills or ()),
            )

    def media(self, user: PortalUser, session_id: str, sha256: str) -> StoredMedia:
        """A blob of this session (of the user's organisation), typed by what its bytes are."""
        with UnitOfWork(self._database) as uow:
            self._own(uow, user, session_id)
            if not uow.sessions.links_blob(session_id, sha256):
                raise NotFoundError("no such file in this session")
        try:
            size = self._blobs.size(user.org_id, sha256)
            head = self._blobs.head(user.org_id, sha256, HEAD_BYTES) if size is not None else None
        except BlobMissingError:
            size = head = None  # deleted between the two looks
        if size is None or head is None:
            raise NotFoundError("the file is no longer stored on the hub")
        read = functools.partial(self._blobs.chunks, user.org_id, sha256)
        return StoredMedia(sha256, size, sniff(head), read)

    def report_pdf(self, user: PortalUser, session_id: str) -> StoredMedia:
        with UnitOfWork(self._database) as uow:
            self._own(uow, user, session_id)
            report = uow.sessions.latest_report(session_id)
            if report is None:
                raise NotFoundError("this session has no report yet")
            sha256 = report.pdf_sha256
        return self.media(user, session_id, sha256)

    # -- reviewing --------------------------------------------------------------------------------
    def review_event(
        self, user: PortalUser, session_id: str, event_id: str, decision: str, comment: str
    ) -> None:
        if decision not in ("confirmed", "dismissed"):
            raise InvalidInputError("a flag is either confirmed or dismissed")
        if not comment.strip():
            raise InvalidInputError("say why in a comment: the review is audited")
        now = self._now()
        with UnitOfWork(self._database) as uow:
            self._own(uow, user, session_id)
            event = uow.sessions.event(event_id)
            if event is None or event.session_id != session_id:
                raise NotFoundError("no such flag in this session")
            event.review = decision
            event.review_comment = comment.strip()[:2000]
            event.reviewed_by = user.email
            event.reviewed_at = now
            uow.audit.record(
                user.org_id, user.email, f"flag.{decision}", event_id, event.review_comment, now
            )
            uow.commit()

    def audit_log(self, user: PortalUser, page: int = 1) -> Page[AuditView]:
        """A page of the organisation's audit log (newest first), counted on the server."""
        with UnitOfWork(self._database) as uow:
            total = uow.audit.count(user.org_id)
            shown, offset = page_window(page, AUDIT_PER_PAGE, total)
            rows = uow.audit.recent(user.org_id, AUDIT_PER_PAGE, offset)
            items = [AuditView(a.at, a.actor, a.action, a.target, a.detail) for a in rows]
            return Page(items, shown, AUDIT_PER_PAGE, total)

    def audit_about(
        self, user: PortalUser, target: str, actions: tuple[str, ...]
    ) -> list[AuditView]:
        """Every entry of `actions` on `target` (a session key), however long the log is."""
        with UnitOfWork(self._database) as uow:
            return [
                AuditView(a.at, a.actor, a.action, a.target, a.detail)
                for a in uow.audit.about(user.org_id, target, actions)
            ]

    # -- erasing ----------------------------------------------------------------------------------
    def _erase(self, uow: UnitOfWork, row: InterviewSession, *, everything: bool) -> set[str]:
        """Strip personal data (all records when `everything`); return blobs now unused."""
        blobs = uow.sessions.blobs_of(row.id)
        uow.sessions.unlink_blobs(row.id)
        uow.mail.erase_session([row.id])  # the e-mails about it name the candidate
        if everything:
            uow.sessions.delete_records(row.id)
        else:
            for answer in uow.sessions.answers(row.id):
                answer.text = ""
                answer.segments = []
                answer.audio_sha256 = None
            for event in uow.sessions.events(row.id):
                event.snapshot_sha256 = None
            check = uow.sessions.id_check(row.id)
            if check is not None:
                check.result = {"purged": True}
            uow.decisions.strip_words(row.id)
        return {sha for sha in blobs if not uow.sessions.blob_in_use(row.org_id, sha)}

    def _drop_blobs(self, org_id: str, hashes: set[str]) -> int:
        for sha in hashes:
            self._blobs.delete(org_id, sha)
        return len(hashes)

    def delete(self, user: PortalUser, session_id: str, reason: str) -> None:
        """Delete a candidate's data on request; the bare rows left keep later pushes inert.

        A request covers every attempt made with the session's key (the first session and the
        attempts other kiosks made of it): they hold the same candidate's data. Every kiosk
        that held any of them gets an erasure order (`hub.services.erasures`), carried out at
        its next sync.
        """
        if not reason.strip():
            raise InvalidInputError("record who asked for the deletion and why")
        now = self._now()
        unused: set[str] = set()
        with UnitOfWork(self._database) as uow:
            row = self._own(uow, user, session_id)
            first = uow.sessions.get(row.attempt_of) if row.attempt_of else row
            assert first is not None, "an attempt always names an existing session"
            for each in (first, *uow.sessions.attempts_of(first.id)):
                order_for_kiosks(uow, each, now)
                unused |= self._erase(uow, each, everything=True)
                each.candidate_name = DELETED_NAME
                each.candidate_email = ""
                each.resume_text = ""
                each.job_text = ""
                each.evaluation = None
                each.integrity = None
                each.job_fit = None
                each.updated_at = now
                each.purged_at = now
                key, why = each.session_key, reason.strip()
                uow.audit.record(user.org_id, user.email, "session.deleted", key, why, now)
            for sha in unused:
                uow.blobs.delete(user.org_id, sha)
            uow.commit()
        self._drop_blobs(user.org_id, unused)

    def set_retention(self, user: PortalUser, days: int | None) -> None:
        if days is not None and not 1 <= days <= 3650:
            raise InvalidInputError("keep data between 1 and 3650 days, or forever")
        now = self._now()
        with UnitOfWork(self._database) as uow:
            org = uow.organisations.get(user.org_id)
            assert org is not None
            org.retention_days = days
            uow.audit.record(
                org.id, user.email, "retention.set", org.name, f"{days or 'forever'} days", now
            )
            uow.commit()

    def retention_days(self, user: PortalUser) -> int | None:
        with UnitOfWork(self._database) as uow:
            org = uow.organisations.get(user.org_id)
            return org.retention_days if org else None

    def purge_expired(self, org_id: str | None = None) -> PurgeResult:
        """Apply retention (of one organisation, or all): purge old sessions' personal data, and
        remove blobs no session refers to once they are older than an upload's grace period."""
        now = self._now()
        purged = 0
        unused: dict[str, set[str]] = {}
        with UnitOfWork(self._database) as uow:
            orgs = [org for org in uow.organisations.all() if org_id in (None, org.id)]
            for org in orgs:
                unused[org.id] = set()
                if org.retention_days is None:
                    continue
                old = uow.sessions.older_than(org.id, now - timedelta(days=org.retention_days))
                for row in old:
                    unused[org.id] |= self._erase(uow, row, everything=False)
                    row.candidate_name = PURGED_NAME
                    row.candidate_email = ""
                    row.resume_text = ""
                    row.purged_at = now
                    uow.audit.record(
                        org.id,
                        "system",
                        "session.purged",
                        row.session_key,
                        f"retention {org.retention_days} days",
                        now,
                    )
                    purged += 1
            for org in orgs:
                stale = self._blobs.older_than(org.id, UNREFERENCED_GRACE.total_seconds())
                unused[org.id] |= {s for s in stale if not uow.sessions.blob_in_use(org.id, s)}
                for sha in unused[org.id]:
                    uow.blobs.delete(org.id, sha)
            uow.commit()
        deleted = sum(self._drop_blobs(org, hashes) for org, hashes in unused.items())
        return PurgeResult(sessions_purged=purged, blobs_deleted=deleted)


def _centres_seen(uow: UnitOfWork, user: PortalUser) -> list[str] | None:
    """The centres whose sessions an invigilator works with; None (every session) for HR,
    admins and an invigilator assigned to no centre."""
    if user.role != "invigilator":
        return None
    return uow.centres.of_user(user.user_id) or None


def _integrity(stored: dict[str, object] | None) -> IntegritySummary | None:
    """The summary as the kiosk sent it (validated by the wire on arrival)."""
    return None if stored is None else from_data(IntegritySummary, stored)
