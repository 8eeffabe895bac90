"""Erase a session's personal data from the kiosk database, leaving an anonymous tombstone.

What is personal: the candidate's name, e-mail and resume, the job it was for, the questions
(built from the resume), answers and their transcripts and scores, proctoring events and their
stills, the observation track (the face boxes, head pose and the like, sampled through the
interview), the ID check and its pictures, the evaluation, the integrity summary, the reports, the
invigilator's free-text reasons in the history, and every outbox payload that copied any of
these. What stays is the tombstone the kiosk keeps for its own bookkeeping: the session's ids
(id, key, kiosk), its dates, its state and history of states, the consent answer (a version, two
digests, a date), and when and why it was erased. The blobs the session alone referred to are
returned for the caller to remove from the media store once the transaction has committed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from kiosk.domain.lifecycle import SessionState
from kiosk.storage.schema import (
    AnswerRow,
    AnswerScoreRow,
    IdCheckRow,
    IntegrityRow,
    MediaRow,
    ObservationChunkRow,
    OutboxRow,
    ProctoringEventRow,
    QuestionRow,
    ReportRow,
    SessionRow,
    StateChangeRow,
)

#: States a session is erased out of into `aborted` (its interview has not begun).
NOT_STARTED = frozenset(
    s.value
    for s in (
        SessionState.CREATED,
        SessionState.OPENED,
        SessionState.ID_VERIFIED,
        SessionState.DEVICES_CHECKED,
    )
)


#: (table, its session column, a column naming a blob): every way a row refers to a blob.
_BLOB_REFERENCES = (
    (AnswerRow, AnswerRow.session_id, AnswerRow.audio_sha256),
    (ProctoringEventRow, ProctoringEventRow.session_id, ProctoringEventRow.snapshot_sha256),
    (IdCheckRow, IdCheckRow.session_id, IdCheckRow.card_sha256),
    (IdCheckRow, IdCheckRow.session_id, IdCheckRow.live_sha256),
    (ReportRow, ReportRow.session_id, ReportRow.pdf_sha256),
    (ObservationChunkRow, ObservationChunkRow.session_id, ObservationChunkRow.track_sha256),
)


def session_blobs(db: Session, session_id: str) -> set[str]:
    """Every blob a session's rows refer to (audio, stills, ID pictures, reports)."""
    found: set[str] = set()
    for _, owner, blob in _BLOB_REFERENCES:
        found |= {sha for sha in db.scalars(select(blob).where(owner == session_id)) if sha}
    return found


def _blobs_of_others(db: Session, session_id: str, hashes: set[str]) -> set[str]:
    """Which of `hashes` another session still refers to (the same bytes stored once)."""
    found: set[str] = set()
    for _, owner, blob in _BLOB_REFERENCES:
        query = select(blob).where(owner != session_id, blob.in_(hashes))
        found |= set(db.scalars(query))
    return found


def media_outbox_rows(db: Session, hashes: set[str]) -> list[OutboxRow]:
    """The `media` outbox rows (of no session) that announce these blobs."""
    if not hashes:
        return []
    query = select(OutboxRow).where(
        OutboxRow.topic == "media",
        OutboxRow.aggregate_id == "",
        OutboxRow.payload["sha256"].as_string().in_(hashes),
    )
    return list(db.scalars(query))


def erase_session(db: Session, session_id: str, at: datetime, because: str) -> set[str]:
    """Erase the session's personal rows (see the module's docstring); returns the hashes of
    the blobs to remove from the media store after the commit."""
    blobs = session_blobs(db, session_id)
    doomed = blobs - _blobs_of_others(db, session_id, blobs)
    answers = select(AnswerRow.id).where(AnswerRow.session_id == session_id)
    db.execute(delete(AnswerScoreRow).where(AnswerScoreRow.answer_id.in_(answers)))
    for table in (
        AnswerRow,
        QuestionRow,
        ProctoringEventRow,
        IdCheckRow,
        ReportRow,
        ObservationChunkRow,
    ):
        db.execute(delete(table).where(table.session_id == session_id))  # type: ignore[attr-defined]
    db.execute(delete(IntegrityRow).where(IntegrityRow.session_id == session_id))
    for row in media_outbox_rows(db, blobs):
        db.delete(row)
    db.execute(delete(OutboxRow).where(OutboxRow.aggregate_id == session_id))
    if doomed:
        db.execute(delete(MediaRow).where(MediaRow.sha256.in_(doomed)))
    db.execute(
        update(StateChangeRow).where(StateChangeRow.session_id == session_id).values(reason="")
    )
    state = db.scalar(select(SessionRow.state).where(SessionRow.id == session_id))
    if state in NOT_STARTED:  # an erased session can never be opened again
        db.add(
            StateChangeRow(
                session_id=session_id,
                from_state=state,
                to_state=SessionState.ABORTED.value,
                at=at,
                reason=f"erased: {because}",
            )
        )
        db.execute(
            update(SessionRow)
            .where(SessionRow.id == session_id)
            .values(state=SessionState.ABORTED.value)
        )
    db.execute(
        update(SessionRow)
        .where(SessionRow.id == session_id)
        .values(
            candidate_name="",
            candidate_email="",
            resume_text="",
            job_title="",
            job_text="",
            required_skills=[],
            nice_to_have_skills=[],
            evaluation=None,
            erased_at=at,
            erased_because=because,
        )
    )
    db.flush()
    return doomed


def unsent_rows(db: Session, session_id: str) -> int:
    """Outbox rows about the session the hub has not confirmed yet (waiting or quarantined),
    the media rows announcing its blobs included."""
    own = select(OutboxRow.id).where(
        OutboxRow.aggregate_id == session_id, OutboxRow.sent_at.is_(None)
    )
    count = len(list(db.scalars(own)))
    blobs = session_blobs(db, session_id)
    return count + sum(1 for r in media_outbox_rows(db, blobs) if r.sent_at is None)


def confirmed_at(db: Session, session_id: str) -> datetime | None:
    """When the hub confirmed the last of the session's rows (None: it confirmed none)."""
    query = select(OutboxRow.sent_at).where(
        OutboxRow.aggregate_id == session_id, OutboxRow.sent_at.is_not(None)
    )
    times = list(db.scalars(query))
    return max(times) if times else None  # type: ignore[type-var]


def sessions_not_erased(db: Session, states: tuple[str, ...]) -> list[SessionRow]:
    query = select(SessionRow).where(SessionRow.erased_at.is_(None), SessionRow.state.in_(states))
    return list(db.scalars(query))


def oldest_unsent(db: Session) -> tuple[int, datetime | None]:
    """How many outbox rows wait for the hub (quarantined ones included) and the oldest's time."""
    query = select(OutboxRow.created_at).where(OutboxRow.sent_at.is_(None))
    times = list(db.scalars(query))
    return len(times), (min(times) if times else None)  # type: ignore[type-var]


__all__ = [
    "confirmed_at",
    "erase_session",
    "media_outbox_rows",
    "oldest_unsent",
    "session_blobs",
    "sessions_not_erased",
    "unsent_rows",
]
