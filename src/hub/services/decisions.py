"""HR's decisions on completed interviews: advance, hold or reject, with notes and an optional
scorecard on the rubric's criteria, and a second reviewer where the organisation asks for one.

Every decision is a new row (`HiringDecision`), never an edit, and an audit-log entry. Where a
session stands is read from its latest row alone (`state_of`), so a list of any length learns
the state of its sessions in one query (`hub.services.decision_state`, which also says how
the state is read).

With a second reviewer, a DIFFERENT user confirms the pending decision (a row that `confirms`
it, with the same outcome); the same user is refused. A different user who records another
outcome records their own decision (`disagrees_with` the pending one), which then awaits a
reviewer in turn, and the page shows the disagreement. A different user who records the same
outcome through the form confirms it, with their own notes and scorecard. The setting is read
when a decision is recorded and stored on it, so changing it later changes no earlier decision.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from contract.rubric import Criterion
from contract.words import event_kind
from hub.clock import Clock, utc_now
from hub.db.database import HubDatabase
from hub.db.models import DecisionSetting, HiringDecision, InterviewSession
from hub.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from hub.services.decision_state import (
    AWAITING,
    OUTCOMES,
    REJECT,
    STATE_WORDS,
    DecisionSummary,
    decision_summary,
    state_of,
    summary_of,
)
from hub.uow import UnitOfWork
from hub.views import PortalUser
from reporting import DecisionLine, DecisionsLine, FlagReviewLine, ScorecardLine

CRITERION_WORDS: dict[str, str] = {
    Criterion.RELEVANCE: "Relevance",
    Criterion.DEPTH: "Depth",
    Criterion.STRUCTURE: "Structure",
    Criterion.COMMUNICATION: "Communication",
}
#: Sessions whose interview is over: only these can be decided on.
DECIDABLE_STATES = ("completed", "reported", "synced")
DECIDERS = ("admin", "hr")
MAX_NOTES = 4000
MAX_COMMENT = 1000
REVIEW_WORDS = {"confirmed": "Confirmed", "dismissed": "Dismissed"}


@dataclass(frozen=True, slots=True)
class ScoreEntry:
    """One criterion of HR's scorecard: 0-10 and an optional comment."""

    criterion: str
    score: int
    comment: str = ""


@dataclass(frozen=True, slots=True)
class NewDecision:
    """A decision as the form gave it, checked field by field (`hub.portal.decision_form`)."""

    outcome: str
    notes: str = ""
    scorecard: tuple[ScoreEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class DecisionEntry:
    """One row of a session's decision history, in words."""

    decision_id: int
    outcome: str
    outcome_words: str
    notes: str
    scorecard: tuple[tuple[str, int, str], ...]  # (criterion words, score, comment)
    decided_by: str
    decided_at: datetime
    role: str  # "" | "Confirms the decision of …" | "Disagrees with …"


@dataclass(frozen=True, slots=True)
class SessionDecisions:
    """What the session page's "Decision" section shows and offers to `user`."""

    summary: DecisionSummary
    history: tuple[DecisionEntry, ...]  # newest first
    decidable: bool
    why_not: str  # why nothing can be decided yet ("" when it can)
    second_reviewer: bool  # the organisation asks for one now
    pending: DecisionEntry | None  # the decision awaiting a second reviewer
    can_confirm: bool  # the user is not the one who made `pending`
    disagreement: tuple[DecisionEntry, DecisionEntry] | None  # (earlier, later) while pending
    criteria: tuple[tuple[str, str], ...]  # (value, words) of the scorecard's criteria
    outcomes: tuple[tuple[str, str], ...]  # (value, words) of the choices


def _role(row: HiringDecision, by_id: Mapping[int, HiringDecision]) -> str:
    if row.confirms is not None and row.confirms in by_id:
        return f"Confirms the decision of {by_id[row.confirms].decided_by}"
    if row.disagrees_with is not None and row.disagrees_with in by_id:
        other = by_id[row.disagrees_with]
        return f"Disagrees with {other.decided_by} ({OUTCOMES[other.outcome]})"
    return ""


def _entry(row: HiringDecision, by_id: Mapping[int, HiringDecision]) -> DecisionEntry:
    return DecisionEntry(
        decision_id=row.id,
        outcome=row.outcome,
        outcome_words=OUTCOMES[row.outcome],
        notes=row.notes,
        scorecard=tuple(
            (CRITERION_WORDS.get(c["criterion"], str(c["criterion"])), int(c["score"]),
             str(c.get("comment", "")))
            for c in row.scorecard
        ),
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        role=_role(row, by_id),
    )


def _why_not(row: InterviewSession) -> str:
    if row.purged_at is not None:
        return "This candidate's personal data has been removed: there is nothing to decide on."
    if row.state not in DECIDABLE_STATES:
        return "A decision can be recorded once the interview has been completed."
    return ""


def report_line(uow: UnitOfWork, row: InterviewSession) -> DecisionsLine | None:
    """HR's decisions and flag reviews of a session, in words, for the hub's PDF; None while
    HR has neither decided nor reviewed a flag, so the PDF is the kiosk's, line for line."""
    history = uow.decisions.history(row.org_id, row.id)
    reviewed = [e for e in uow.sessions.events(row.id) if e.review in REVIEW_WORDS]
    if not history and not reviewed:
        return None
    by_id = {h.id: h for h in history}
    state = state_of(history[-1] if history else None)
    return DecisionsLine(
        state=STATE_WORDS[state],
        decisions=tuple(
            DecisionLine(
                outcome=entry.outcome_words,
                decided_by=entry.decided_by,
                decided_at=entry.decided_at,
                notes=entry.notes,
                role=entry.role,
                scorecard=tuple(ScorecardLine(*line) for line in entry.scorecard),
            )
            for entry in (_entry(h, by_id) for h in history)
        ),
        reviews=tuple(
            FlagReviewLine(
                flag=f"{event_kind(e.kind)} at {e.start:.0f}–{e.end:.0f} s",
                review=REVIEW_WORDS.get(e.review, e.review),
                reviewed_by=e.reviewed_by,
                reviewed_at=e.reviewed_at,
                comment=e.review_comment,
            )
            for e in reviewed
        ),
    )


def check_decision(new: NewDecision) -> None:
    """The rules a decision keeps whatever form it came from (the form checks them per field)."""
    if new.outcome not in OUTCOMES:
        raise InvalidInputError("choose advance to next round, on hold or rejected")
    if new.outcome == REJECT and not new.notes.strip():
        raise InvalidInputError("say why in the notes: a rejection needs a reason")
    if len(new.notes) > MAX_NOTES:
        raise InvalidInputError(f"the notes are limited to {MAX_NOTES} characters")
    seen = set()
    for entry in new.scorecard:
        if entry.criterion not in CRITERION_WORDS or entry.criterion in seen:
            raise InvalidInputError("the scorecard has the rubric's criteria, each once")
        seen.add(entry.criterion)
        if not 0 <= entry.score <= 10:
            raise InvalidInputError("each score on the scorecard is from 0 to 10")
        if len(entry.comment) > MAX_COMMENT:
            raise InvalidInputError(f"a comment is limited to {MAX_COMMENT} characters")


class Decisions:
    def __init__(self, database: HubDatabase, clock: Clock = utc_now) -> None:
        self._database = database
        self._now = clock

    @staticmethod
    def _own(uow: UnitOfWork, user: PortalUser, session_id: str) -> InterviewSession:
        """The session if it is the user's organisation's; any other is not found."""
        row = uow.sessions.get(session_id)
        if row is None or row.org_id != user.org_id:
            raise NotFoundError("no such session in your organisation")
        return row

    @staticmethod
    def _decider(user: PortalUser) -> None:
        if not user.can(*DECIDERS):
            raise ForbiddenError(f"your role ({user.role}) may not decide on candidates")

    # -- the organisation's setting ---------------------------------------------------------------
    def second_reviewer(self, user: PortalUser) -> bool:
        with UnitOfWork(self._database) as uow:
            return uow.decisions.second_reviewer(user.org_id)

    def set_second_reviewer(self, user: PortalUser, on: bool) -> None:
        """Turn the second reviewer on or off for the organisation (admins only); audited."""
        if not user.can("admin"):
            raise ForbiddenError(f"your role ({user.role}) may not change this setting")
        now = self._now()
        with UnitOfWork(self._database) as uow:
            if uow.decisions.second_reviewer(user.org_id) == on:
                return
            uow.decisions.set_second_reviewer(
                DecisionSetting(
                    org_id=user.org_id, second_reviewer=on, changed_by=user.email, changed_at=now
                )
            )
            words = "need a second reviewer" if on else "no longer need a second reviewer"
            uow.audit.record(
                user.org_id, user.email, "decisions.second_reviewer", "", f"decisions {words}", now
            )
            uow.commit()

    # -- reading ----------------------------------------------------------------------------------
    def summary(self, user: PortalUser, session_ids: Sequence[str]) -> dict[str, DecisionSummary]:
        """`decision_summary` in a unit of work of its own, for the user's organisation."""
        with UnitOfWork(self._database) as uow:
            return decision_summary(uow, user.org_id, session_ids)

    def for_session(self, user: PortalUser, session_id: str) -> SessionDecisions:
        with UnitOfWork(self._database) as uow:
            row = self._own(uow, user, session_id)
            history = uow.decisions.history(user.org_id, session_id)
            second = uow.decisions.second_reviewer(user.org_id)
            why_not = _why_not(row)
            by_id = {h.id: h for h in history}
            latest = history[-1] if history else None
            summary = summary_of(latest)
            pending = _entry(latest, by_id) if latest and summary.state == AWAITING else None
            disagreement = None
            if latest is not None and pending is not None and latest.disagrees_with in by_id:
                disagreement = (_entry(by_id[latest.disagrees_with], by_id), pending)
            entries = tuple(_entry(h, by_id) for h in reversed(history))
            maker = latest.decided_by_user if latest is not None else None
        return SessionDecisions(
            summary=summary,
            history=entries,
            decidable=not why_not,
            why_not=why_not,
            second_reviewer=second,
            pending=pending,
            can_confirm=maker is not None and maker != user.user_id,
            disagreement=disagreement,
            criteria=tuple((str(c), words) for c, words in CRITERION_WORDS.items()),
            outcomes=tuple(OUTCOMES.items()),
        )

    # -- deciding ---------------------------------------------------------------------------------
    def record(self, user: PortalUser, session_id: str, new: NewDecision) -> DecisionSummary:
        """Record `user`'s decision; with a second reviewer it awaits one (or, from a different
        user with the pending decision's outcome, confirms it). Audited."""
        self._decider(user)
        now = self._now()
        with UnitOfWork(self._database) as uow:
            row = self._own(uow, user, session_id)
            if why_not := _why_not(row):
                raise ConflictError(why_not)
            check_decision(new)
            second = uow.decisions.second_reviewer(user.org_id)
            latest = uow.decisions.latest(user.org_id, [session_id]).get(session_id)
            waiting = latest if state_of(latest) == AWAITING else None
            by_other = waiting is not None and waiting.decided_by_user != user.user_id
            confirms = waiting.id if by_other and waiting.outcome == new.outcome else None
            disagrees = waiting.id if by_other and confirms is None else None
            decision = uow.decisions.add(
                HiringDecision(
                    org_id=user.org_id,
                    session_id=session_id,
                    outcome=new.outcome,
                    notes=new.notes.strip(),
                    scorecard=[_stored(e) for e in new.scorecard],
                    decided_by=user.email,
                    decided_by_user=user.user_id,
                    decided_at=now,
                    needs_second_review=second and confirms is None,
                    confirms=confirms,
                    disagrees_with=disagrees,
                )
            )
            row.updated_at = now  # an ATS syncing by `updated_since` sees the decision
            summary = summary_of(decision)
            uow.audit.record(
                user.org_id,
                user.email,
                "decision.confirmed" if confirms else "decision.recorded",
                row.session_key,
                _audit_words(decision, waiting, summary),
                now,
            )
            uow.commit()
        return summary

    def confirm(self, user: PortalUser, session_id: str, decision_id: int) -> DecisionSummary:
        """A second reviewer's confirmation of the decision awaiting one; its maker is refused."""
        self._decider(user)
        now = self._now()
        with UnitOfWork(self._database) as uow:
            row = self._own(uow, user, session_id)
            latest = uow.decisions.latest(user.org_id, [session_id]).get(session_id)
            if latest is None or latest.id != decision_id or state_of(latest) != AWAITING:
                raise ConflictError(
                    "this decision is no longer awaiting a second reviewer: the page shows "
                    "where it stands now"
                )
            if latest.decided_by_user == user.user_id:
                raise ConflictError(
                    "you made this decision, so you cannot be its second reviewer: another "
                    "member of HR must confirm it"
                )
            decision = uow.decisions.add(
                HiringDecision(
                    org_id=user.org_id,
                    session_id=session_id,
                    outcome=latest.outcome,
                    notes="",
                    scorecard=[],
                    decided_by=user.email,
                    decided_by_user=user.user_id,
                    decided_at=now,
                    needs_second_review=False,
                    confirms=latest.id,
                )
            )
            row.updated_at = now  # an ATS syncing by `updated_since` sees the decision
            summary = summary_of(decision)
            uow.audit.record(
                user.org_id,
                user.email,
                "decision.confirmed",
                row.session_key,
                _audit_words(decision, latest, summary),
                now,
            )
            uow.commit()
        return summary


def _stored(entry: ScoreEntry) -> dict[str, Any]:
    return {"criterion": entry.criterion, "score": entry.score, "comment": entry.comment.strip()}


def _audit_words(
    decision: HiringDecision, waiting: HiringDecision | None, summary: DecisionSummary
) -> str:
    """One line for the audit log: what was decided, on whose decision, where it stands."""
    words = OUTCOMES[decision.outcome]
    if decision.confirms is not None and waiting is not None:
        words = f"{words}: confirms the decision of {waiting.decided_by}"
    elif decision.disagrees_with is not None and waiting is not None:
        words = f"{words}: disagrees with {waiting.decided_by} ({OUTCOMES[waiting.outcome]})"
    if decision.scorecard:
        scores = ", ".join(
            f"{CRITERION_WORDS[c['criterion']]} {c['score']}" for c in decision.scorecard
        )
        words = f"{words}; scorecard {scores}"
    if decision.notes:
        words = f"{words}; notes: {decision.notes}"
    return f"{words} ({summary.words.lower()})"


__all__ = [
    "CRITERION_WORDS",
    "DecisionEntry",
    "Decisions",
    "NewDecision",
    "ScoreEntry",
    "SessionDecisions",
    "check_decision",
    "report_line",
]
