"""What the ATS read API reads: an organisation's sessions and their results, nothing more.

Every read is scoped to the organisation of the calling token; a session of another organisation
is "not found", like one that never existed. The answers carry codes *and* words (the words come
from the same glossary as the portal's where one exists), and leave out biometrics, snapshots,
identity checks, audio and transcripts (see docs/privacy.md).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime

from contract.codec import from_data
from contract.proctoring import IntegritySummary
from hub import glossary
from hub.ats_models import (
    Candidate,
    Coded,
    CriterionResult,
    Decision,
    FlagCounts,
    Integrity,
    Job,
    Reason,
    Score,
    SessionItem,
    SessionPage,
    SessionResult,
)
from hub.clock import Clock, utc_now
from hub.db.database import HubDatabase
from hub.db.models import InterviewSession
from hub.errors import InvalidInputError, NotFoundError
from hub.repositories.ats import Position, SessionFilter
from hub.services.api_tokens import ApiClient
from hub.services.decision_state import OUTCOMES, STATE_WORDS, DecisionSummary, decision_summary
from hub.services.records import Records
from hub.uow import UnitOfWork
from hub.views import PortalUser, StoredMedia

PAGE_MAX = 200


def _words(table: dict[str, str], code: str) -> Coded:
    """A code with the portal's words for it (`hub.glossary`); an unknown code reads humanely."""
    return Coded(code=code, words=table.get(code, glossary.humane(code)))


def encode_cursor(position: Position) -> str:
    raw = json.dumps([position.updated_at.isoformat(), position.session_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> Position:
    """The position a cursor of `encode_cursor` names; a clear 422 for anything else."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        stamp, session_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        return Position(as_utc(datetime.fromisoformat(stamp)), str(session_id))
    except (ValueError, TypeError, binascii.Error, InvalidInputError) as error:
        raise InvalidInputError(
            "this cursor is not one the hub gave out: pass `next_cursor` from the last page "
            "unchanged, or leave it out to start from the first page"
        ) from error


def as_utc(moment: datetime) -> datetime:
    """`moment` in UTC; a clear 422 for a naive time (which instant?) or one out of range."""
    if moment.tzinfo is None:
        raise InvalidInputError("give the time with its zone, e.g. 2026-12-04T09:00:00Z")
    try:
        return moment.astimezone(UTC)
    except OverflowError as error:
        raise InvalidInputError("that time is out of range") from error


def _item(row: InterviewSession, has_report: bool) -> SessionItem:
    return SessionItem(
        session_id=row.id,
        session_key=row.session_key,
        candidate_name=row.candidate_name,
        job_title=row.job_title,
        status=_words(glossary.STATES, row.state),
        created_at=row.created_at,
        updated_at=row.updated_at,
        has_report=has_report,
        personal_data_erased=row.purged_at is not None,
    )


class AtsReads:
    def __init__(self, database: HubDatabase, records: Records, clock: Clock = utc_now) -> None:
        self._database = database
        self._records = records
        self._now = clock

    def sessions(
        self,
        client: ApiClient,
        *,
        states: Sequence[str] = (),
        updated_since: datetime | None = None,
        job_title: str | None = None,
        cursor: str | None = None,
        limit: int = 50,
    ) -> SessionPage:
        if not 1 <= limit <= PAGE_MAX:
            raise InvalidInputError(f"ask for 1 to {PAGE_MAX} sessions a page")
        since = as_utc(updated_since) if updated_since is not None else None
        where = SessionFilter(client.org_id, tuple(states), since, job_title)
        after = decode_cursor(cursor) if cursor else None
        with UnitOfWork(self._database) as uow:
            rows = uow.ats.sessions(where, after, limit + 1)  # one more tells if a page follows
            shown = rows[:limit]
            items = [_item(r, uow.sessions.latest_report(r.id) is not None) for r in shown]
            more = len(rows) > limit
            last = shown[-1] if shown else None
            return SessionPage(
                items=items,
                total=uow.ats.count(where),
                next_cursor=encode_cursor(Position(last.updated_at, last.id))
                if more and last
                else None,
            )

    def result(self, client: ApiClient, session_id: str, report_url: str) -> SessionResult:
        with UnitOfWork(self._database) as uow:
            row = uow.sessions.get(session_id)
            if row is None or row.org_id != client.org_id:
                raise NotFoundError("no such session in your organisation")
            has_report = uow.sessions.latest_report(row.id) is not None
            reasons = _reasons(uow, row.id)
            evaluation = row.evaluation or {}
            criteria = _criteria(evaluation.get("overall") or {}, uow, row.id, reasons)
            reviews = uow.ats.flag_reviews(row.id)
            recommendation = evaluation.get("recommendation")
            scores = [c.score.value for c in criteria]
            return SessionResult(
                session=_item(row, has_report),
                candidate=Candidate(name=row.candidate_name, email=row.candidate_email),
                job=Job(title=row.job_title),
                overall=Score(value=round(sum(scores) / len(scores), 2)) if scores else None,
                provisional=bool(evaluation.get("provisional"))
                or any(s.provisional for s in uow.sessions.scores(row.id)),
                criteria=criteria,
                recommendation=_words(glossary.RECOMMENDATIONS, str(recommendation))
                if recommendation
                else None,
                integrity=Integrity(
                    level=_level(row.integrity),
                    flags=FlagCounts(
                        total=sum(reviews.values()),
                        to_review=reviews.get("open", 0),
                        confirmed=reviews.get("confirmed", 0),
                        dismissed=reviews.get("dismissed", 0),
                    ),
                ),
                decision=_decision(decision_summary(uow, client.org_id, [row.id])[row.id]),
                report_url=report_url if has_report else None,
            )

    def report_pdf(self, client: ApiClient, session_id: str) -> StoredMedia:
        """The session's latest PDF report, read as an HR user of the organisation would."""
        reader = PortalUser("", f"API token “{client.name}”", "hr", client.org_id, "")
        return self._records.report_pdf(reader, session_id)


def _reasons(uow: UnitOfWork, session_id: str) -> dict[str, list[Reason]]:
    """Each criterion's reasons, answer by answer, in the order the questions were asked."""
    answers = {a.question_id: a.id for a in uow.sessions.answers(session_id)}
    scores = {s.answer_id: s for s in uow.sessions.scores(session_id)}
    reasons: dict[str, list[Reason]] = defaultdict(list)
    for question in uow.sessions.questions(session_id):
        score = scores.get(answers.get(question.id, ""))
        if score is None:
            continue
        for c in score.criteria:
            if str(c.get("rationale", "")).strip():
                reasons[str(c["criterion"])].append(
                    Reason(question_number=question.idx + 1, reason=str(c["rationale"]))
                )
    return reasons


def _criteria(
    overall: dict[str, float], uow: UnitOfWork, session_id: str, reasons: dict[str, list[Reason]]
) -> list[CriterionResult]:
    """The evaluation's mark per criterion; before the evaluation arrives, the answers' mean."""
    marks = {str(k): float(v) for k, v in overall.items()}
    if not marks:
        per: dict[str, list[float]] = defaultdict(list)
        for score in uow.sessions.scores(session_id):
            for c in score.criteria:
                per[str(c["criterion"])].append(float(c["score"]))
        marks = {k: sum(v) / len(v) for k, v in per.items() if v}
    return [
        CriterionResult(
            criterion=_words(glossary.CRITERIA, name),
            score=Score(value=round(value, 2)),
            reasons=reasons.get(name, []),
        )
        for name, value in marks.items()
    ]


def _decision(summary: DecisionSummary) -> Decision:
    return Decision(
        state=_words(STATE_WORDS, summary.state),
        outcome=_words(OUTCOMES, summary.outcome) if summary.outcome else None,
        decided_at=summary.decided_at,
        disagreement=summary.disagreement,
    )


def _level(stored: dict[str, object] | None) -> Coded | None:
    if stored is None:
        return None
    return _words(glossary.INTEGRITY, from_data(IntegritySummary, stored).level.value)
